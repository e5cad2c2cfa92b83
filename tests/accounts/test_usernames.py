import pytest

from accounts.errors import HosoError
from accounts.roles import Role
from accounts.services import create_person, generate_username, username_base
from tests.conftest import make_agency


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Đặng Thị Thu Hà", "hadtt"),
        ("Lê Đình Đạt", "datld"),
        ("Trần Minh Đức", "ductm"),
        ("  nguyễn   văn   AN ", "annv"),
        ("Hà", "ha"),
    ],
)
def test_username_base(full_name, expected):
    assert username_base(full_name) == expected


def test_username_base_nfd():
    import unicodedata

    assert username_base(unicodedata.normalize("NFD", "Lê Đình Đạt")) == "datld"


def test_regulation_examples(db):
    vpubnd = make_agency("000.00.10.H53", "Văn phòng UBND tỉnh", "vpubnd")
    snv = make_agency("000.00.11.H53", "Sở Nội vụ", "snv")
    stc = make_agency("000.00.12.H53", "Sở Tài chính", "stc")
    assert create_person(full_name="Đặng Thị Thu Hà", agency=vpubnd, roles=[Role.CLERK]).username == "hadtt.vpubnd"
    assert create_person(full_name="Lê Đình Đạt", agency=snv).username == "datld.snv"
    first = create_person(full_name="Trần Minh Đức", agency=stc, birth_year=1985)
    assert first.username == "ductm.stc"
    second = create_person(full_name="Trần Minh Đức", agency=stc, birth_year=1992)
    assert second.username == "ductm1992.stc"


def test_clash_without_birth_year_and_double_clash(db):
    stc = make_agency("000.00.12.H53", "Sở Tài chính", "stc")
    create_person(full_name="Trần Minh Đức", agency=stc)
    with pytest.raises(HosoError) as missing:
        generate_username("Trần Minh Đức", stc)
    assert missing.value.code == "username_taken_need_birth_year"
    create_person(full_name="Trần Minh Đức", agency=stc, birth_year=1992)
    with pytest.raises(HosoError) as taken:
        create_person(full_name="Trần Minh Đức", agency=stc, birth_year=1992)
    assert taken.value.code == "username_taken"
    assert "ductm1992.stc" in taken.value.message


def test_same_name_in_other_agency_is_free(db):
    a = make_agency("000.00.12.H53", "Sở Tài chính", "stc")
    b = make_agency("000.00.13.H53", "Sở Y tế", "syt")
    assert create_person(full_name="Trần Minh Đức", agency=a).username == "ductm.stc"
    assert create_person(full_name="Trần Minh Đức", agency=b).username == "ductm.syt"


def test_empty_name_is_refused(db):
    a = make_agency("000.00.12.H53", "Sở Tài chính", "stc")
    with pytest.raises(HosoError) as err:
        generate_username(" !! ", a)
    assert err.value.code == "invalid_full_name"
