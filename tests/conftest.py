"""Shared fixtures: two agencies with people in every role, and PDF bytes."""

import datetime
import io

import pytest
from rest_framework.test import APIClient

from accounts.models import Agency, Unit
from accounts.roles import Role
from accounts.services import create_person
from casefiles import filing
from casefiles.services import create_document
from retention.models import RetentionKind

PASSWORD = "Matkhau@2026"


@pytest.fixture(autouse=True)
def _private_folders(settings, tmp_path):
    """Trust roots and drop folders of each test live in its own folder, never under ./var."""
    settings.HOSO_TRUST_ROOTS_DIR = tmp_path / "trust-roots"
    settings.HOSO_DROP_ROOT = tmp_path / "drop"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files under its own folder (local storage profile)."""
    if settings.STORAGE_BACKEND == "local":
        settings.STORAGES = {
            **settings.STORAGES,
            "records": {
                "BACKEND": "casefiles.storage.DurableFileSystemStorage",
                "OPTIONS": {"location": tmp_path / "records"},
            },
        }
        from django.core.files.storage import storages

        storages._storages.pop("records", None)
        yield
        storages._storages.pop("records", None)
    else:
        yield


def make_agency(identifier, name, abbreviation, parent=None):
    agency = Agency.objects.create(identifier=identifier, name=name, abbreviation=abbreviation, parent=parent)
    Unit.objects.create(agency=agency, name="Văn phòng", code="VP")
    return agency


def make_person(agency, full_name, *roles, birth_year=None):
    return create_person(full_name=full_name, agency=agency, unit=agency.units.first(), roles=roles,
                         birth_year=birth_year, password=PASSWORD)


@pytest.fixture
def agency_a(db):
    return make_agency("000.00.01.H53", "Ủy ban nhân dân tỉnh Sơn La", "ubnd")


@pytest.fixture
def agency_b(db):
    return make_agency("000.00.02.H53", "Sở Nội vụ tỉnh Sơn La", "snv")


@pytest.fixture
def clerk_a(agency_a):
    return make_person(agency_a, "Đặng Thị Thu Hà", Role.CLERK)


@pytest.fixture
def admin_a(agency_a):
    return make_person(agency_a, "Nguyễn Văn An", Role.ADMIN)


@pytest.fixture
def clerk_b(agency_b):
    return make_person(agency_b, "Lê Đình Đạt", Role.CLERK)


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def pdf_bytes(text="Quyết định về việc phê duyệt kế hoạch", pages=1):
    """A small real PDF with Vietnamese text (reportlab, a Unicode TrueType font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from hoso.fonts import register_fonts

    regular, _bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(pages):
        pdf.setFont(regular, 13)
        pdf.drawString(72, 760, f"{text} — trang {page + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def make_document(agency_a):
    def make(subject="Công văn về việc báo cáo", issued=datetime.date(2026, 3, 5), pages=2, **fields):
        return create_document(agency=agency_a, subject=subject, issued_date=issued, page_amount=pages,
                               files=[(io.BytesIO(pdf_bytes(subject)), f"{subject}.pdf", "main")], **fields)
    return make


@pytest.fixture
def open_file(agency_a, clerk_a):
    return filing.open_case_file(
        agency=agency_a, actor=clerk_a, title="Hồ sơ hội nghị cán bộ công chức năm 2026", file_notation="05.VP",
        retention_kind=RetentionKind.YEARS, retention_years=10, creator=clerk_a,
        start_date=datetime.date(2026, 1, 5),
    )
