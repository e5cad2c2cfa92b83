"""Signing issued documents: keys, the leader's and the agency's signatures, number and date filled in between.

A throwaway PKI (tests.ingest.test_signatures.Authority) issues the leader's and the agency's
certificates; the results are validated as intake validates them (ingest.signatures) and with
pyHanko's difference analysis.
"""

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from rest_framework.test import APIRequestFactory, force_authenticate

from accounts.errors import HosoError
from accounts.models import AuditEntry
from accounts.roles import Role
from ingest import signatures
from routing import keys
from routing.keys_api import SigningKeyViewSet
from routing.models import SigningKey
from routing.signing import fill_number, layout, prepare_draft, sign_agency, sign_personal, stamps
from tests.conftest import make_person, pdf_bytes
from tests.ingest.test_signatures import NOW, Authority
from tests.routing.conftest import PASSWORD, draft, p12

WHEN = dt.datetime(2026, 3, 5, 3, 15, 7, tzinfo=dt.UTC)  # 10:15:07 in Vietnam

@pytest.fixture
def leader(agency_a):
    person = make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER)
    person.position = "Chủ tịch"
    person.save()
    return person


@pytest.fixture
def installed(agency_a, leader, pki, admin_a, images):
    """The leader's key with a signature image, and the agency's key with its seal."""
    return {
        "leader": keys.install_key(agency_a, p12(pki["leader"], pki["root"]), PASSWORD, user=leader,
                                   image_bytes=images["signature"], actor=admin_a),
        "agency": keys.install_key(agency_a, p12(pki["agency"], pki["root"]), PASSWORD,
                                   image_bytes=images["seal"], actor=admin_a),
    }


def check(tmp_path, data):
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    return signatures.read_signatures(path)


def diff_levels(data, root):
    """(field name, modification level, DocMDP respected) of each signature, by pyHanko's analysis."""
    reader = PdfFileReader(io.BytesIO(data))
    context = ValidationContext(trust_roots=[root.asn1])
    found = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        found.append((embedded.field_name, status.modification_level, status.docmdp_ok))
    return found


def issue(agency, leader, pdf=None):
    numbered = fill_number(sign_personal(prepare_draft(pdf or draft()), leader, reason="Phê duyệt"),
                           number_notation="15/QĐ-UBND", issued_date=dt.date(2026, 3, 5), place="Sơn La")
    return sign_agency(numbered, agency, when=WHEN)


def field_values(data):
    return {name: field.get("/V") for name, field in PdfReader(io.BytesIO(data)).get_fields().items()}


def images_in(xobject) -> int:
    """How many images a form XObject draws, its nested forms included."""
    count = 0
    for item in (xobject.get("/Resources", {}).get("/XObject") or {}).values():
        item = item.get_object()
        count += 1 if item["/Subtype"] == "/Image" else images_in(item)
    return count


def appearance(data, field_name):
    """(normal appearance, rectangle) of a field's widget."""
    for page in PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots") or ():
            widget = annot.get_object()
            if widget.get("/T") == field_name:
                return widget["/AP"]["/N"].get_object(), [float(v) for v in widget["/Rect"]]
    raise AssertionError(field_name)


# --- The whole chain ------------------------------------------------------------------------------


def test_issued_document_carries_both_signatures_valid_and_trusted(tmp_path, trusted, installed, agency_a, leader,
                                                                   pki):
    data = issue(agency_a, leader)
    signer, agency = check(tmp_path, data)
    assert signer["field_name"] == "signer" and signer["signer_name"] == "Hoàng Văn Lãnh"
    assert agency["field_name"] == "agency" and agency["signer_name"] == "Ủy ban nhân dân tỉnh Sơn La"
    for found in (signer, agency):
        assert found["intact"] and found["valid"] and found["trusted"], found
        assert found["error"] == ""
    assert not signer["covers_whole_file"]
    assert agency["covers_whole_file"]
    assert agency["signing_time"] == WHEN
    # filling the number and date, and the agency's signature, are allowed changes under the leader's lock
    assert diff_levels(data, pki["root"]) == [("signer", ModificationLevel.FORM_FILLING, True),
                                              ("agency", ModificationLevel.NONE, True)]


def test_number_date_position_and_name_are_in_the_issued_document(trusted, installed, agency_a, leader):
    data = issue(agency_a, leader)
    values = field_values(data)
    assert values["so"] == "Số: 15/QĐ-UBND"
    assert values["ngay"] == "Sơn La, ngày 05 tháng 3 năm 2026"
    text = PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert "CHỦ TỊCH" in text and "Hoàng Văn Lãnh" in text


def test_stamps_show_the_signature_image_and_the_seal_with_the_time(trusted, installed, agency_a, leader):
    data = issue(agency_a, leader)
    signer_ap, signer_rect = appearance(data, "signer")
    agency_ap, agency_rect = appearance(data, "agency")
    assert images_in(signer_ap) == 1
    assert images_in(agency_ap) == 1
    # the agency's field reaches over the left third of the signer's image (Appendix I)
    left, right = signer_rect[0], signer_rect[2]
    assert agency_rect[0] < left < agency_rect[2] <= right + layout.CAPTION_W
    assert stamps.vietnam_time(WHEN) == "05/03/2026 10:15:07 +07:00"
    naive = stamps.signing_time(dt.datetime(2026, 3, 5, 10, 15, 7, 250))  # taken as Vietnam time
    assert naive == WHEN and stamps.vietnam_time(naive) == "05/03/2026 10:15:07 +07:00"


def test_leader_signature_without_image_still_signs(trusted, agency_a, leader, pki, tmp_path):
    keys.install_key(agency_a, p12(pki["leader"], pki["root"]), PASSWORD, user=leader)
    keys.install_key(agency_a, p12(pki["agency"], pki["root"]), PASSWORD)
    data = issue(agency_a, leader)
    assert [found["trusted"] for found in check(tmp_path, data)] == [True, True]
    assert images_in(appearance(data, "signer")[0]) == 0
    assert images_in(appearance(data, "agency")[0]) == 0


def test_a_full_last_page_gets_the_signer_block_on_a_new_page(tmp_path, trusted, installed, agency_a, leader, pki):
    data = issue(agency_a, leader, draft(lines=34))
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert [found["trusted"] for found in check(tmp_path, data)] == [True, True]
    assert [level for _name, level, _ok in diff_levels(data, pki["root"])] == [ModificationLevel.FORM_FILLING,
                                                                               ModificationLevel.NONE]


def test_signer_block_goes_below_the_text_in_its_column(settings):
    lines = [(85, 400, 540, "Điều 1."), (85, 300, 200, "Nơi nhận:"), (85, 280, 190, "- Lưu: VT.")]
    block = layout.signer_block("Chủ tịch", "Hoàng Văn Lãnh", (0, 0, 595, 842), lines)
    assert block.top == 400 - layout.TITLE_LEADING  # the short lines on the left do not push it down
    assert block.position_lines == ("CHỦ TỊCH",)
    assert block.image[0] > 305 and block.image[3] < block.top
    settings.HOSO_STAMP_SIGNER_COLUMN = (40, 300)
    assert layout.signer_block("", "A", (0, 0, 595, 842), lines).top == 280 - layout.TITLE_LEADING


def test_seal_overlaps_the_left_third_of_the_signature_image():
    image = (350, 200, 500, 264)
    field, seal, caption = layout.seal_layout(image, 102)
    assert seal[2] == pytest.approx(350 + 50) and seal[2] - seal[0] == 102
    assert (seal[1] + seal[3]) / 2 == pytest.approx(232)
    assert field[0] <= seal[0] and field[3] >= seal[3] and field[1] == caption[1]


def test_seal_is_drawn_at_its_actual_size(images):
    assert layout.seal_diameter(images["seal"]) == pytest.approx(36 / 25.4 * 72, abs=0.5)
    assert layout.seal_diameter(images["signature"]) == pytest.approx(36 / 25.4 * 72)  # states no resolution


# --- Appendices -----------------------------------------------------------------------------------


def test_appendix_is_signed_by_the_agency_alone_without_image(tmp_path, trusted, installed, agency_a, pki):
    data = sign_agency(pdf_bytes("Phụ lục: danh mục nhiệm vụ"), agency_a, appendix=True, when=WHEN,
                       number_notation="15/QĐ-UBND")
    [found] = check(tmp_path, data)
    assert found["trusted"] and found["covers_whole_file"] and found["signing_time"] == WHEN
    stamp, rect = appearance(data, "agency")
    assert images_in(stamp) == 0
    assert rect[2] > 500 and rect[3] > 800  # top right of page 1


# --- Tampering and errors -------------------------------------------------------------------------


def test_a_byte_changed_in_the_first_signed_range_breaks_the_signatures(tmp_path, trusted, installed, agency_a,
                                                                        leader):
    original = draft()
    data = issue(agency_a, leader, original)
    position = len(original) // 2  # inside the draft: the first revision, which both signatures cover
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
    found = check(tmp_path, tampered)
    assert found is None or not any(item["intact"] or item["trusted"] for item in found), found


def test_garbage_is_refused_as_unreadable(installed, agency_a, leader):
    calls = [prepare_draft, lambda pdf: sign_personal(pdf, leader), lambda pdf: sign_agency(pdf, agency_a),
             lambda pdf: fill_number(pdf, number_notation="1/QĐ", issued_date=dt.date(2026, 1, 2), place="Sơn La")]
    for call in calls:
        for garbage in (b"not a pdf", b"%PDF-1.7\n%%EOF", b""):
            with pytest.raises(HosoError) as error:
                call(garbage)
            assert error.value.code == "pdf_unreadable"


def test_missing_keys(agency_a, leader):
    with pytest.raises(HosoError) as error:
        sign_personal(prepare_draft(draft()), leader)
    assert error.value.code == "signing_key_missing"
    with pytest.raises(HosoError) as error:
        keys.signer_for_agency(agency_a)
    assert error.value.code == "signing_key_missing"


def test_agency_signs_only_what_the_competent_person_signed(installed, agency_a):
    with pytest.raises(HosoError) as error:
        sign_agency(prepare_draft(draft()), agency_a)
    assert error.value.code == "signer_signature_missing"


def test_number_needs_the_fields_and_drafts_are_prepared_once(installed, agency_a, leader):
    with pytest.raises(HosoError) as error:
        fill_number(draft(), number_notation="1/QĐ", issued_date=dt.date(2026, 1, 2), place="Sơn La")
    assert error.value.code == "pdf_fields_missing"
    prepared = prepare_draft(draft())
    assert prepare_draft(prepared) == prepared
    with pytest.raises(HosoError) as error:
        prepare_draft(sign_personal(prepared, leader))
    assert error.value.code == "pdf_already_signed"


# --- Key store ------------------------------------------------------------------------------------


def test_install_keeps_the_password_encrypted_and_audits(agency_a, leader, pki, admin_a):
    key = keys.install_key(agency_a, p12(pki["leader"], pki["root"]), PASSWORD, user=leader, actor=admin_a)
    assert PASSWORD not in key.password_encrypted
    assert key.subject == "C=VN,O=Hoso Test PKI,CN=Hoàng Văn Lãnh" and "Hoso Test Root CA" in key.issuer
    assert key.not_after == pki["leader"].cert.not_valid_after_utc
    signer = keys.signer_for(leader)
    assert signer.signing_cert.subject.native["common_name"] == "Hoàng Văn Lãnh"
    entry = AuditEntry.objects.filter(object_type="routing.signingkey", object_id=str(key.pk)).get()
    assert entry.actor_id == admin_a.pk and entry.detail["holder"] == "person"


def test_a_new_key_replaces_the_active_one(agency_a, pki):
    first = keys.install_key(agency_a, p12(pki["agency"], pki["root"]), PASSWORD)
    second = keys.install_key(agency_a, p12(pki["agency"], pki["root"], "khac"), "khac")
    first.refresh_from_db()
    assert not first.active and second.active
    assert SigningKey.objects.filter(agency=agency_a, active=True).get() == second
    assert keys.active_key(agency_a) == second


def test_bad_keys_are_refused(agency_a, agency_b, leader, pki):
    good = p12(pki["leader"], pki["root"])
    cases = [
        dict(p12_bytes=good, password="sai mật khẩu", user=leader),
        dict(p12_bytes=b"garbage", password=PASSWORD),
        dict(p12_bytes=p12(expired(pki["root"]), pki["root"]), password=PASSWORD),
    ]
    for case in cases:
        with pytest.raises(HosoError) as error:
            keys.install_key(agency_a, **case)
        assert error.value.code == "signing_key_invalid"
    with pytest.raises(HosoError) as error:
        keys.install_key(agency_b, good, PASSWORD, user=leader)  # the leader works in agency A
    assert error.value.code == "signing_key_invalid"
    with pytest.raises(HosoError) as error:
        keys.install_key(agency_a, good, PASSWORD, user=leader, image_bytes=draft())
    assert error.value.code == "signing_image_invalid"
    assert not SigningKey.objects.exists()


def expired(root):
    """A holder whose certificate expired yesterday."""
    holder = Authority("Hết hạn", root, ca=False)
    holder.cert = (x509.CertificateBuilder().subject_name(holder.name).issuer_name(root.name)
                   .public_key(holder.key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(NOW - dt.timedelta(days=60)).not_valid_after(NOW - dt.timedelta(days=1))
                   .sign(root.key, hashes.SHA256()))
    return holder


def test_keys_secret_changed_makes_installed_keys_unusable(settings, agency_a, pki):
    keys.install_key(agency_a, p12(pki["agency"], pki["root"]), PASSWORD)
    settings.HOSO_KEYS_SECRET = "một bí mật khác"
    with pytest.raises(HosoError) as error:
        keys.signer_for_agency(agency_a)
    assert error.value.code == "signing_key_invalid"


# --- API for the administrator --------------------------------------------------------------------


def call_api(user, method="get", data=None):
    """The signing-keys API as hoso.urls would route it: list (get) or install (post)."""
    request = getattr(APIRequestFactory(), method)("/api/v1/signing-keys/", data, format="multipart")
    force_authenticate(request, user)
    return SigningKeyViewSet.as_view({"get": "list", "post": "create"})(request)


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_administrator_installs_and_lists_keys_without_secrets(admin_a, leader, pki, images):
    response = call_api(admin_a, "post", {"p12": upload("lanhdao.p12", p12(pki["leader"], pki["root"])),
                                          "password": PASSWORD, "user": leader.pk,
                                          "image": upload("chuky.png", images["signature"])})
    assert response.status_code == 201, response.data
    assert response.data["user"] == leader.pk and response.data["has_image"] and response.data["active"]
    listed = call_api(admin_a).data["results"]
    assert [item["subject"] for item in listed] == ["C=VN,O=Hoso Test PKI,CN=Hoàng Văn Lãnh"]
    assert not {"password", "password_encrypted", "p12"} & set(listed[0])
    assert keys.signer_for(leader).signing_cert.subject.native["common_name"] == "Hoàng Văn Lãnh"


def test_only_the_agency_administrator_installs_keys(admin_a, leader, clerk_b, pki):
    wrong_password = call_api(admin_a, "post", {"p12": upload("k.p12", p12(pki["agency"], pki["root"])),
                                                "password": "sai"})
    assert wrong_password.status_code == 400 and wrong_password.data["code"] == "signing_key_invalid"
    assert call_api(leader).status_code == 403
    other_agency = call_api(admin_a, "post", {"p12": upload("k.p12", p12(pki["leader"], pki["root"])),
                                              "password": PASSWORD, "user": clerk_b.pk})
    assert other_agency.status_code == 404
    assert not SigningKey.objects.exists()
