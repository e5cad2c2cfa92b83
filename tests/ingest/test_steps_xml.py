"""The XML step alone: defusedxml only, no DTD or entities, text content kept."""

import pytest

from ingest.errors import Rejected
from ingest.steps import xml

from . import format_samples as samples
from .format_samples import intake


def run(data, name="goi-tin.xml"):
    with intake(data, name) as (candidate, workspace):
        xml.run(candidate, workspace)
        return candidate


def test_text_content_in_document_order():
    data = (f'<?xml version="1.0" encoding="UTF-8"?>\n<vanBan so="125"><trichYeu>{samples.PHRASE}</trichYeu>'
            f"<coQuan>  {samples.SHORT}  </coQuan><ghiChu/>cuối</vanBan>").encode()
    assert run(data).text == f"{samples.PHRASE}\n{samples.SHORT}\ncuối"


def test_declared_encodings_are_honoured():
    data = f'<?xml version="1.0" encoding="UTF-16"?><r>{samples.PHRASE}</r>'.encode("utf-16")
    assert run(data).text == samples.PHRASE


@pytest.mark.parametrize("data", [
    samples.XXE,
    samples.BILLION_LAUGHS,
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>',
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.invalid/p">%p;]><r/>',
    b'<?xml version="1.0"?><!DOCTYPE r><r/>',
])
def test_dtds_and_entities_are_forbidden(data):
    with pytest.raises(Rejected) as caught:
        run(data)
    assert caught.value.code == "xml_forbidden"


@pytest.mark.parametrize("data", [b"<r><a></r>", b"<r>", b"khong phai xml", b"<r/><r/>", b"<r>&amp</r>"])
def test_syntax_errors(data):
    with pytest.raises(Rejected) as caught:
        run(data)
    assert caught.value.code == "xml_malformed"


def test_text_is_bounded(settings):
    settings.HOSO_MAX_TEXT_CHARS = 100
    candidate = run(("<r>" + "<p>Văn bản số một</p>" * 1000 + "</r>").encode())
    assert len(candidate.text) <= 100 and candidate.flags == ["text_truncated"]


def test_other_files_are_left_alone():
    assert run(samples.XXE, "ghi-chu.txt").text == ""
