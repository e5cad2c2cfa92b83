import unicodedata

from hoso.text import fold


def test_fold_vietnamese():
    assert fold("Đặng Thị Thu Hà") == "dang thi thu ha"
    assert fold("QUYẾT ĐỊNH") == "quyet dinh"
    assert fold(unicodedata.normalize("NFD", "Nghị quyết")) == "nghi quyet"


def test_fold_keeps_nfc_length():
    text = "Ủy ban nhân dân tỉnh Sơn La ban hành Quyết định số 125/QĐ-UBND"
    assert len(fold(text)) == len(unicodedata.normalize("NFC", text))

