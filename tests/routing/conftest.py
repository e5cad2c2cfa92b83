import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from accounts.roles import Role
from casefiles.services import create_document
from hoso.fonts import register_fonts
from routing import keys
from routing.specimens import seal_png, signature_png
from tests.conftest import make_person, pdf_bytes
from tests.ingest.test_signatures import Authority


@pytest.fixture
def people(agency_a):
    """One person per role in agency A."""
    return {
        "clerk": make_person(agency_a, "Đặng Thị Thu Hà", Role.CLERK),
        "leader": make_person(agency_a, "Hoàng Văn Lãnh", Role.LEADER),
        "unit_head": make_person(agency_a, "Ngô Quang Trưởng", Role.UNIT_HEAD),
        "officer": make_person(agency_a, "Vũ Thị Mai", Role.OFFICER),
        "officer2": make_person(agency_a, "Phan Văn Hợp", Role.OFFICER),
        "archivist": make_person(agency_a, "Trịnh Thu Lưu", Role.ARCHIVIST),
    }


@pytest.fixture
def received(agency_a):
    def make(number="215", notation="SKHCN-VP", organ="Sở Khoa học và Công nghệ", **fields):
        return create_document(agency=agency_a, kind="received", subject="V/v hướng dẫn đặt tên tệp",
                               code_number=number, code_notation=notation, organ_name=organ,
                               files=[(io.BytesIO(pdf_bytes(f"Công văn {number}")), "cv.pdf", "main")], **fields)
    return make


PASSWORD = "Khoa@2026"


def p12(holder, root, password=PASSWORD):
    return pkcs12.serialize_key_and_certificates(
        b"hoso", holder.key, holder.cert, [root.cert], serialization.BestAvailableEncryption(password.encode()))


@pytest.fixture(scope="module")
def pki():
    root = Authority("Hoso Test Root CA")
    return {"root": root, "leader": Authority("Hoàng Văn Lãnh", root, ca=False),
            "agency": Authority("Ủy ban nhân dân tỉnh Sơn La", root, ca=False)}


@pytest.fixture
def trusted(settings, tmp_path, pki):
    folder = tmp_path / "trust-roots"
    folder.mkdir()
    (folder / "root.pem").write_bytes(pki["root"].pem)
    settings.HOSO_TRUST_ROOTS_DIR = folder
    settings.HOSO_SIGNATURE_FETCH_REVOCATION = False
    return folder


@pytest.fixture(scope="module")
def images():
    return {"signature": signature_png("Hoàng Văn Lãnh"), "seal": seal_png("Ủy ban nhân dân tỉnh Sơn La", "Sơn La")}


def draft(lines=12):
    """A one-page draft of a decision: heading, title and a body of the given number of lines."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont(bold, 12)
    pdf.drawCentredString(180, 775, "ỦY BAN NHÂN DÂN")
    pdf.drawCentredString(180, 760, "TỈNH SƠN LA")
    pdf.drawCentredString(410, 775, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(410, 760, "Độc lập - Tự do - Hạnh phúc")
    pdf.setFont(bold, 14)
    pdf.drawCentredString(300, 690, "QUYẾT ĐỊNH")
    pdf.setFont(regular, 13)
    for i in range(lines):
        pdf.drawString(85, 650 - 18 * i, f"Điều {i + 1}. Phê duyệt kế hoạch chuyển đổi số năm 2026 của tỉnh.")
    pdf.setFont(regular, 10)
    pdf.drawString(85, 40, "Trang 1")  # a footer: the signer's block may stay above it
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def keyed(people, agency_a, pki, images, trusted):
    """The leader's and the agency's keys installed by the administrator."""
    admin = make_person(agency_a, "Nguyễn Văn Quản", Role.ADMIN)
    keys.install_key(agency_a, p12(pki["leader"], pki["root"]), PASSWORD, user=people["leader"],
                     image_bytes=images["signature"], actor=admin)
    keys.install_key(agency_a, p12(pki["agency"], pki["root"]), PASSWORD, image_bytes=images["seal"], actor=admin)
    people["leader"].position = "Chủ tịch"
    people["leader"].save()
    return people
