"""Vietnamese text helpers that import no app: every app may use them.

Dates follow Decree 30: days below 10 and the months 1 and 2 take a leading zero.

Folding maps Vietnamese text to lower-case ASCII letters while keeping its
length in NFC form, so offsets found in a folded copy mark the same span in the
original (search highlighting relies on this).
"""

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """'Đặng Thị Thu Hà' -> 'dang thi thu ha' (NFC first, đ->d, marks dropped, lower-case)."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def long_date(place: str, day) -> str:
    """'Sơn La, ngày 05 tháng 3 năm 2026', 'Sơn La, ngày 15 tháng 01 năm 2026'."""
    return f"{place}, ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def short_date(day) -> str:
    """'05/3/2026', '15/01/2026'."""
    return f"{day.day:02d}/{_month(day.month)}/{day.year}"
