"""The search suite runs against whichever backend the settings select (SQLite FTS5, PostgreSQL
through modelsearch, OpenSearch when HOSO_SEARCH_BACKEND=opensearch): never a stand-in."""

import datetime
import unicodedata

import pytest
from django.conf import settings
from django.utils import timezone

from casefiles.models import AccessRegime, Blob, CaseFile, CaseFileEntry, Document, DocumentFile
from search.engines import get_engine
from tests.conftest import make_person

ELASTIC = settings.SEARCH_BACKEND in ("elasticsearch", "opensearch")
if ELASTIC:
    # Never touch a real index: the suite works in indices of its own.
    _backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    if "test" not in _backend.get("INDEX_PREFIX", ""):
        _backend["INDEX_PREFIX"] = _backend.get("INDEX_PREFIX", "") + "test_"


@pytest.fixture(autouse=True)
def _fresh_index(db):
    """Database backends roll back with each test; an Elasticsearch/OpenSearch index is emptied."""
    if ELASTIC:
        get_engine().reset_elastic()
    yield


@pytest.fixture
def index_now(django_capture_on_commit_callbacks):
    """A context manager: commit-time indexing of what its block changed, visible to searches after."""

    class _Indexing:
        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.callbacks = self.capture.__enter__()
            return self.callbacks

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)
            get_engine().refresh()

    return _Indexing


_blob_counter = [0]


def add_document(agency, subject, *, notation="", number="", type_name="Quyết định", kind="received",
                 text="", text_source="extracted", issued=datetime.date(2024, 3, 1), unit=None, file_name=None,
                 organ="Ủy ban nhân dân tỉnh Sơn La", signer="Nguyễn Văn An"):
    document = Document.objects.create(
        agency=agency, unit=unit, subject=subject, code_number=number, code_notation=notation,
        type_name=type_name, kind=kind, issued_date=issued, organ_name=organ, signer_full_name=signer)
    _blob_counter[0] += 1
    blob = Blob.objects.create(sha256=f"{_blob_counter[0]:064x}", size=10, mime_type="application/pdf",
                               name=f"blob{_blob_counter[0]}.pdf")
    DocumentFile.objects.create(document=document, blob=blob, original_name=file_name or f"{subject[:20]}.pdf",
                                text=text, text_source=text_source)
    return document


def add_case_file(agency, notation, title, documents, *, regime="01", accepted=True, year=2024, status="open"):
    case_file = CaseFile.objects.create(
        agency=agency, year=year, file_notation=notation, title=title, rights=AccessRegime.objects.get(code=regime),
        creator_name="Đặng Thị Thu Hà", start_date=datetime.date(year, 1, 2), status=status,
        accepted_at=timezone.now() if accepted else None, retention_kind="permanent")
    for ordinal, document in enumerate(documents, start=1):
        CaseFileEntry.objects.create(case_file=case_file, document=document, ordinal=ordinal)
    return case_file


class Corpus:
    """Records of two agencies: public ones (accepted, public regime) and restricted ones."""


@pytest.fixture
def corpus(agency_a, agency_b, index_now):
    c = Corpus()
    with index_now():
        c.marked = add_document(
            agency_a, "Quyết định phê duyệt dự án Đường giao thông xã Chiềng Đen", number="125",
            notation="QĐ-UBND", text="Ủy ban nhân dân tỉnh quyết định đầu tư đường giao thông liên xã Chiềng Đen.",
            file_name="QĐ 125 đường Chiềng Đen.pdf")
        c.unmarked = add_document(
            agency_a, "Quyet dinh phe duyet du an duong giao thong xa Chieng Den", number="126",
            notation="QĐ-UBND", text="Uy ban nhan dan tinh quyet dinh dau tu duong giao thong lien xa Chieng Den.",
            issued=datetime.date(2023, 5, 6))
        c.citing = add_document(
            agency_a, "Báo cáo thực hiện các quyết định về giao thông", number="40", notation="BC-UBND",
            type_name="Báo cáo", kind="issued",
            text="Thực hiện Quyết định 125/QĐ-UBND, Quyết định 125/QĐ-UBND và 125/QĐ-UBND về đường giao thông.",
            issued=datetime.date(2025, 1, 10))
        c.scattered = add_document(
            agency_a, "Thông tin giao nhận hồ sơ lưu trữ", number="7", notation="TB-UBND", type_name="Thông báo",
            kind="internal", text="Thông tin về việc giao nhận hồ sơ.", issued=datetime.date(2022, 8, 8))
        c.ocr = add_document(
            agency_a, "Biên bản kiểm tra", number="3", notation="BB-UBND", type_name="Biên bản",
            text="Biên bản kiểm tra hiện trạng rừng phòng hộ đầu nguồn bản Nà Sài", text_source="ocr")
        c.public_file = add_case_file(agency_a, "01.TCCB", "Hồ sơ dự án đường giao thông Chiềng Đen",
                                      [c.marked, c.citing])
        # Typed without marks, filed under a title without marks: no exact word anywhere.
        c.unmarked_file = add_case_file(agency_a, "06.KD", "Ho so go khong dau", [c.unmarked])
        c.archive_file = add_case_file(agency_a, "04.LT", "Hồ sơ lưu trữ chung", [c.scattered, c.ocr], year=2022,
                                       status="closed")
        # Restricted: a secret regime (accepted), a public regime not yet accepted, another agency.
        c.secret = add_document(
            agency_a, "Phương án tuyệt mật về quyết định nhân sự cấp cao", number="9", notation="QĐ-MAT",
            text="Danh sách nhân sự bí mật: Chiềng Đen xuyenmat.", issued=datetime.date(2024, 9, 9))
        c.secret_file = add_case_file(agency_a, "02.MAT", "Hồ sơ tuyệt mật nhân sự", [c.secret], regime="03",
                                      status="closed")
        c.pending = add_document(
            agency_a, "Quyết định chưa nộp lưu về đường giao thông chokiemduyet", number="11",
            notation="QĐ-UBND", text="Chiềng Đen chokiemduyet.", issued=datetime.date(2024, 11, 11))
        c.pending_file = add_case_file(agency_a, "03.VP", "Hồ sơ chưa nộp lưu", [c.pending], accepted=False)
        c.unfiled = add_document(agency_a, "Quyết định chưa lập hồ sơ khongcohoso", number="12",
                                 notation="QĐ-UBND", text="Chiềng Đen khongcohoso.")
        c.other_agency = add_document(
            agency_b, "Quyết định của Sở Nội vụ về đường giao thông Chiềng Đen sonoivu", number="125",
            notation="QĐ-SNV", text="Sở Nội vụ quyết định sonoivu.")
        c.other_file = add_case_file(agency_b, "01.SNV", "Hồ sơ Sở Nội vụ", [c.other_agency])
    c.public_ids = {c.marked.pk, c.unmarked.pk, c.citing.pk, c.scattered.pk, c.ocr.pk, c.other_agency.pk}
    c.restricted = [c.secret, c.pending, c.unfiled]
    return c


@pytest.fixture
def officer_a(agency_a):
    from accounts.roles import Role

    return make_person(agency_a, "Hoàng Văn Chiến", Role.OFFICER)


def nfd(text):
    return unicodedata.normalize("NFD", text)
