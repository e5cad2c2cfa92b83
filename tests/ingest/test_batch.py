"""Batch import of folders (ingest.batch and ``hoso ingest``), with generated files."""

import datetime
import hashlib
import io
import json
import threading
import unicodedata
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import AuditHead
from casefiles.models import Document, DocumentFile
from ingest import batch, metadata
from tests.conftest import make_agency, make_person, pdf_bytes


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "kho"
    write(root / "1998" / "Quyết định 12.pdf", pdf_bytes("Quyết định số 12 năm 1998"))
    write(root / "1998" / "Công văn 7.pdf", pdf_bytes("Công văn số 7 năm 1998"))
    write(root / "1999" / "Tờ trình 3.pdf", pdf_bytes("Tờ trình số 3 năm 1999"))
    write(root / ".DS_Store", b"hidden")
    write(root / ".cache" / "x.pdf", pdf_bytes("ẩn"))
    return root


def ingest(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *map(str, args), stdout=out, stderr=err, **kwargs)
    return out.getvalue()


def test_folder_becomes_one_document_per_file(agency_a, clerk_a, folder):
    report = batch.import_files(agency_a, batch.collect([folder]), kind="issued", actor=clerk_a)

    files = [item["file"] for item in report.accepted]
    assert files == [str(folder / "1998" / "Công văn 7.pdf"), str(folder / "1998" / "Quyết định 12.pdf"),
                     str(folder / "1999" / "Tờ trình 3.pdf")]
    assert not report.duplicates and not report.rejected
    documents = Document.objects.filter(agency=agency_a)
    assert sorted(documents.values_list("subject", flat=True)) == ["Công văn 7", "Quyết định 12", "Tờ trình 3"]
    assert set(documents.values_list("kind", flat=True)) == {"issued"}
    assert set(documents.values_list("created_by", flat=True)) == {clerk_a.pk}
    accepted = report.accepted[0]
    document = Document.objects.get(pk=accepted["document"])
    assert document.files.get().blob.sha256 == accepted["sha256"]
    assert document.files.get().original_name == "Công văn 7.pdf"


def test_rerun_imports_nothing_twice(agency_a, folder):
    first = batch.import_files(agency_a, batch.collect([folder]))
    (folder / "2000").mkdir()
    write(folder / "2000" / "Bản sao.pdf", (folder / "1999" / "Tờ trình 3.pdf").read_bytes())

    second = batch.import_files(agency_a, batch.collect([folder]))

    assert second.accepted == []
    document = {item["file"].rsplit("/", 1)[1]: item["document"] for item in first.accepted}
    assert [(d["file"], d["documents"]) for d in second.duplicates] == [
        (str(folder / "1998" / "Công văn 7.pdf"), [document["Công văn 7.pdf"]]),
        (str(folder / "1998" / "Quyết định 12.pdf"), [document["Quyết định 12.pdf"]]),
        (str(folder / "1999" / "Tờ trình 3.pdf"), [document["Tờ trình 3.pdf"]]),
        (str(folder / "2000" / "Bản sao.pdf"), [document["Tờ trình 3.pdf"]]),
    ]
    assert Document.objects.filter(agency=agency_a).count() == 3


def test_a_zip_is_one_document_and_is_a_duplicate_when_run_again(agency_a, tmp_path):
    with zipfile.ZipFile(tmp_path / "Hồ sơ 7.zip", "w") as archive:
        archive.writestr("Tờ trình.pdf", pdf_bytes("Tờ trình"))
        archive.writestr("Phụ lục.pdf", pdf_bytes("Phụ lục"))

    first = batch.import_files(agency_a, batch.collect([tmp_path / "Hồ sơ 7.zip"]))
    second = batch.import_files(agency_a, batch.collect([tmp_path / "Hồ sơ 7.zip"]))

    document = Document.objects.get(pk=first.accepted[0]["document"])
    assert document.subject == "Hồ sơ 7"
    assert sorted(document.files.values_list("original_name", flat=True)) == ["Phụ lục.pdf", "Tờ trình.pdf"]
    assert second.duplicates[0]["documents"] == [document.pk] and not second.accepted


def test_same_bytes_in_another_agency_are_not_a_duplicate(agency_a, agency_b, folder):
    batch.import_files(agency_a, batch.collect([folder]))
    report = batch.import_files(agency_b, batch.collect([folder]))
    assert len(report.accepted) == 3 and not report.duplicates


def test_subject_from_a_decomposed_file_name_is_nfc(agency_a, tmp_path):
    name = unicodedata.normalize("NFD", "Báo cáo tổng kết.pdf")
    write(tmp_path / name, pdf_bytes())
    report = batch.import_files(agency_a, batch.collect([tmp_path / name]))
    document = Document.objects.get(pk=report.accepted[0]["document"])
    assert document.subject == "Báo cáo tổng kết" == unicodedata.normalize("NFC", document.subject)


def test_a_bad_file_is_rejected_and_the_batch_goes_on(agency_a, folder):
    write(folder / "1998" / "rỗng.pdf", b"")
    report = batch.import_files(agency_a, batch.collect([folder]))
    assert len(report.accepted) == 3
    assert report.rejected == [{"file": str(folder / "1998" / "rỗng.pdf"), "code": "empty_file",
                                "message": "Tệp rỗng."}]


def test_metadata_csv_with_vietnamese_headings(agency_a, folder, tmp_path):
    sheet = tmp_path / "muc-luc.csv"
    sheet.write_text(
        "Tệp;Số, ký hiệu;Ngày ban hành;Trích yếu;Cơ quan ban hành;Loại văn bản;Người ký;Độ khẩn;Số trang;Đơn vị\n"
        "1998/Quyết định 12.pdf;12/QĐ-UBND;05/03/1998;Về việc thành lập trường;UBND tỉnh Sơn La;Quyết định;"
        "Lò Văn Giàng;Hỏa tốc;1;VP\n"
        "Tờ trình 3.pdf;3/TTr-SNV;1999-07-21;Đề nghị phê duyệt biên chế;Sở Nội vụ;Tờ trình;;khẩn;2;Văn phòng\n",
        encoding="utf-8-sig",
    )
    report = batch.import_files(agency_a, batch.collect([folder]), sheet=metadata.read(sheet))

    assert not report.rejected and not report.unmatched_metadata
    decision = Document.objects.get(code_notation="QĐ-UBND")
    assert (decision.code_number, decision.issued_date, decision.subject) == (
        "12", datetime.date(1998, 3, 5), "Về việc thành lập trường")
    assert (decision.organ_name, decision.type_name, decision.signer_full_name, decision.priority) == (
        "UBND tỉnh Sơn La", "Quyết định", "Lò Văn Giàng", Document.Priority.EXPRESS)
    assert decision.page_amount == 1 and decision.unit == agency_a.units.get()
    proposal = Document.objects.get(code_notation="TTr-SNV")
    assert proposal.issued_date == datetime.date(1999, 7, 21) and proposal.priority == Document.Priority.URGENT
    assert Document.objects.get(subject="Công văn 7").code_number == ""  # no row: subject from the name


def test_metadata_xlsx_with_english_headings(agency_a, folder, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["file", "code_number", "code_notation", "issued_date", "subject", "due_date",
                        "description", "language"])
    book.active.append(["1998/Công văn 7.pdf", 7, "CV-VP", datetime.datetime(1998, 1, 9), "Về lịch họp",
                        "20/01/1998", "Bản chụp mờ", "Tiếng Việt"])
    book.save(tmp_path / "sheet.xlsx")

    report = batch.import_files(agency_a, batch.collect([folder]), sheet=metadata.read(tmp_path / "sheet.xlsx"))

    assert not report.rejected
    letter = Document.objects.get(code_notation="CV-VP")
    assert (letter.code_number, letter.issued_date, letter.due_date, letter.subject, letter.description) == (
        "7", datetime.date(1998, 1, 9), datetime.date(1998, 1, 20), "Về lịch họp", "Bản chụp mờ")


def test_bad_metadata_rejects_only_its_file(agency_a, folder, tmp_path):
    sheet = tmp_path / "m.csv"
    sheet.write_text(
        "file,issued_date,Độ khẩn,subject\n"
        "Công văn 7.pdf,31/02/1998,thường,Về lịch họp\n"
        "Quyết định 12.pdf,01/02/1998,rất gấp,Thành lập\n"
        f"Tờ trình 3.pdf,01/02/1999,0,{'x' * 501}\n"
        "không có.pdf,01/01/2000,0,Không tồn tại\n",
        encoding="utf-8",
    )
    report = batch.import_files(agency_a, batch.collect([folder]), sheet=metadata.read(sheet))

    assert report.accepted == []
    rejected = {item["file"].rsplit("/", 1)[1]: item for item in report.rejected}
    assert {item["code"] for item in rejected.values()} == {"metadata_invalid"}
    assert "issued_date '31/02/1998' không phải ngày" in rejected["Công văn 7.pdf"]["message"]
    assert "Độ khẩn 'rất gấp' không phải độ khẩn" in rejected["Quyết định 12.pdf"]["message"]
    assert rejected["Tờ trình 3.pdf"]["message"].startswith("Siêu dữ liệu không hợp lệ: subject: ")
    assert report.unmatched_metadata == [{"line": 5, "file": "không có.pdf"}]
    assert not Document.objects.exists()


def test_a_bare_name_matching_two_files_is_ambiguous(agency_a, tmp_path):
    write(tmp_path / "in" / "a" / "tờ.pdf", pdf_bytes("một"))
    write(tmp_path / "in" / "b" / "tờ.pdf", pdf_bytes("hai"))
    write(tmp_path / "in" / "c.pdf", pdf_bytes("ba"))
    (tmp_path / "m.csv").write_text("file,subject\ntờ.pdf,Tờ trình\nc.pdf,C\nc.pdf,C lần hai\n", encoding="utf-8")

    report = batch.import_files(agency_a, batch.collect([tmp_path / "in"]), sheet=metadata.read(tmp_path / "m.csv"))

    messages = {item["file"].split("/in/")[1]: item["message"] for item in report.rejected}
    assert "dòng 2 khớp với nhiều tệp" in messages["a/tờ.pdf"] and "dòng 2" in messages["b/tờ.pdf"]
    assert "nhiều dòng cùng chỉ tệp này (dòng 3, 4)" in messages["c.pdf"]


def test_a_row_naming_a_top_level_file_is_not_also_taken_by_its_namesakes(agency_a, tmp_path):
    write(tmp_path / "in" / "tờ.pdf", pdf_bytes("gốc"))
    write(tmp_path / "in" / "bản sao" / "tờ.pdf", pdf_bytes("bản sao"))
    (tmp_path / "m.csv").write_text("file,subject\ntờ.pdf,Tờ trình gốc\n", encoding="utf-8")

    report = batch.import_files(agency_a, batch.collect([tmp_path / "in"]), sheet=metadata.read(tmp_path / "m.csv"))

    assert not report.rejected
    assert sorted(Document.objects.values_list("subject", flat=True)) == ["Tờ trình gốc", "tờ"]


@pytest.mark.parametrize("content, problem", [
    ("file,Số hiệu lạ\na.pdf,1\n", "cột không xác định: Số hiệu lạ"),
    ("subject\nVề việc\n", "thiếu cột 'file'"),
    ("file,Trích yếu,subject\na.pdf,x,y\n", "hai cột cùng là trường subject"),
    ("", "bảng trống"),
])
def test_an_unusable_sheet_stops_the_command_before_anything(agency_a, folder, tmp_path, content, problem):
    (tmp_path / "m.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=problem):
        ingest(folder, "--agency", "ubnd", "--metadata", tmp_path / "m.csv")
    assert not Document.objects.exists()


def test_command_reports_and_exits_2_on_rejections(agency_a, folder, tmp_path):
    write(folder / "rỗng.pdf", b"")
    sheet = write(folder / "muc-luc.csv", "file,subject\nCông văn 7.pdf,Về lịch họp\n".encode())
    report_path = tmp_path / "out.json"

    with pytest.raises(CommandError) as raised:
        ingest(folder, "--agency", agency_a.identifier, "--metadata", sheet, "--report", report_path,
               "--kind", "internal")

    assert raised.value.returncode == 2
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["agency"] == agency_a.identifier
    assert len(report["accepted"]) == 3  # the sheet inside the folder is not imported
    assert set(report["accepted"][0]) == {"file", "document", "sha256"}
    assert report["rejected"] == [{"file": str(folder / "rỗng.pdf"), "code": "empty_file", "message": "Tệp rỗng."}]
    assert Document.objects.get(subject="Về lịch họp").kind == "internal"


def test_command_rerun_is_clean_and_prints_a_vietnamese_summary(agency_a, clerk_a, folder, tmp_path):
    ingest(folder, "--agency", "ubnd", "--actor", clerk_a.username)
    out = ingest(folder, "--agency", "ubnd", "--report", tmp_path / "r.json")
    assert "Đã nhập: 0 văn bản" in out and "Trùng (đã có trong hệ thống, không nhập lại): 3" in out
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [len(report[k]) for k in ("accepted", "duplicates", "rejected")] == [0, 3, 0]
    assert set(report["duplicates"][0]) == {"file", "sha256", "documents"}


def test_command_refuses_unknown_agency_path_and_foreign_actor(agency_a, agency_b, folder):
    outsider = make_person(agency_b, "Lê Văn Ngoài")
    with pytest.raises(CommandError, match="Không có cơ quan"):
        ingest(folder, "--agency", "khong-co")
    with pytest.raises(CommandError, match="Không tìm thấy đường dẫn"):
        ingest(folder / "missing", "--agency", "ubnd")
    with pytest.raises(CommandError, match="không thuộc cơ quan ubnd"):
        ingest(folder, "--agency", "ubnd", "--actor", outsider.username)
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_store_each_file_once(tmp_path):
    AuditHead.objects.get_or_create(pk=1)  # made by a migration; an earlier transactional test's flush removed it
    agency = make_agency("000.00.09.H53", "Sở Tư pháp tỉnh Sơn La", "stp")
    for n in range(8):
        write(tmp_path / "in" / f"{n:02}.pdf", pdf_bytes(f"Văn bản số {n}"))
    reports, errors = [], []

    def worker():
        try:
            reports.append(batch.import_files(agency, batch.collect([tmp_path / "in"])))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    assert sum(len(r.accepted) for r in reports) == 8 and sum(len(r.duplicates) for r in reports) == 8
    shas = list(DocumentFile.objects.values_list("blob__sha256", flat=True))
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "in").iterdir()}
    assert sorted(shas) == sorted(expected)



def test_an_edxml_package_is_imported_as_a_package(agency_a, agency_b, tmp_path):
    edxml = pytest.importorskip("ingest.edxml")
    from casefiles.services import create_document

    issued = create_document(agency=agency_b, kind="issued", subject="Về việc phối hợp kiểm tra",
                             code_number="15", code_notation="SNV-VP", issued_date=datetime.date(2026, 3, 2),
                             organ_name="Sở Nội vụ tỉnh Sơn La",
                             recipients=[{"organ_id": agency_a.identifier, "organ_name": agency_a.name}],
                             files=[(io.BytesIO(pdf_bytes("Công văn phối hợp")), "Công văn 15.pdf", "main")])
    write(tmp_path / "in" / "goi-tin.xml", edxml.build_document_package(issued))

    first = batch.import_files(agency_a, batch.collect([tmp_path / "in"]))
    second = batch.import_files(agency_a, batch.collect([tmp_path / "in"]))

    received = Document.objects.get(agency=agency_a)
    assert (received.subject, received.code_notation, received.files.get().original_name) == (
        "Về việc phối hợp kiểm tra", "SNV-VP", "Công văn 15.pdf")
    assert [item["document"] for item in first.accepted] == [received.pk]
    assert [item["documents"] for item in second.duplicates] == [[received.pk]] and not second.accepted


def test_a_batch_is_indexed_in_one_go(agency_a, folder):
    """Search indexing is deferred over the batch (hoso.batching) and done when it flushes."""
    from search.models import SearchEntry

    report = batch.import_files(agency_a, batch.collect([folder]))
    assert len(report.accepted) == 3
    indexed = SearchEntry.objects.filter(kind="document", agency_id=agency_a.pk)
    assert indexed.count() == 3


@pytest.mark.django_db(transaction=True)
def test_postgresql_batch_commits_without_waiting_for_the_disk_then_restores_the_session(tmp_path):
    """synchronous_commit is off while the batch runs (each file still commits whole), on again after."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    AuditHead.objects.get_or_create(pk=1)
    agency = make_agency("000.00.10.H53", "Sở Xây dựng tỉnh Sơn La", "sxd")
    write(tmp_path / "in" / "a.pdf", pdf_bytes("Văn bản a"))

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO on")  # as a server keeps it by default
    during = []
    report = batch.import_files(agency, batch.collect([tmp_path / "in"]), on_file=lambda _: during.append(setting()))
    assert len(report.accepted) == 1
    assert during == ["off"] and setting() == "on"
