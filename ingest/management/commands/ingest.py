import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from accounts.models import Agency
from casefiles.models import Document
from ingest import batch, metadata
from ingest.errors import Rejected


class Command(BaseCommand):
    help = (
        "Import folders of files (digitised records) as documents of an agency, one document per file. "
        "Re-running imports nothing twice. Exit status 2 when a file was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively)")
        parser.add_argument("--agency", required=True, metavar="CODE", help="the agency's identifier or abbreviation")
        parser.add_argument("--metadata", metavar="FILE", help="a .csv or .xlsx sheet: one row per file")
        parser.add_argument("--report", metavar="FILE", help="write a JSON report (accepted, duplicates, rejected)")
        parser.add_argument("--kind", choices=Document.Kind.values, help="kind of every document (default: received)")
        parser.add_argument("--actor", metavar="USERNAME", help="the person recorded as creating the documents")

    def handle(self, *args, paths, agency, metadata=None, report=None, kind=None, actor=None, verbosity=1,
               **options):
        agency = self._agency(agency)
        actor = self._actor(actor, agency) if actor else None
        sheet = self._sheet(metadata) if metadata else None
        if report and not Path(report).resolve().parent.is_dir():
            raise CommandError(f"Không có thư mục để ghi báo cáo: {Path(report).parent}")
        try:
            files = batch.collect(paths, exclude=[p for p in (metadata, report) if p])
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy đường dẫn: {exc}") from exc
        result = batch.BatchReport()
        # The bar writes to the raw stream: OutputWrapper would end each redraw with a newline.
        stream = getattr(self.stderr, "_out", self.stderr)
        try:
            with tqdm(total=len(files), unit="tệp", file=stream, disable=verbosity < 1) as bar:
                batch.import_files(agency, files, sheet=sheet, kind=kind, actor=actor, report=result,
                                   on_file=lambda outcome: bar.update())
        finally:  # also when stopped part way: what committed is reported
            if report:
                _write_json(Path(report), {"agency": agency.identifier, **result.as_dict()})
            self._summary(result, len(files), report)
        if result.rejected:
            raise CommandError(f"Có {len(result.rejected)} tệp bị từ chối.", returncode=2)

    def _agency(self, code):
        found = Agency.objects.filter(Q(identifier=code) | Q(abbreviation=code.lower())).first()
        if found is None:
            raise CommandError(f"Không có cơ quan có mã định danh hoặc tên viết tắt '{code}'.")
        return found

    def _actor(self, username, agency):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        if not user.is_superuser and user.agency_id != agency.pk:
            raise CommandError(f"Người dùng '{username}' không thuộc cơ quan {agency.abbreviation}.")
        return user

    def _sheet(self, path):
        try:
            return metadata.read(path)
        except Rejected as exc:
            raise CommandError(f"{path}: {exc.message}") from exc

    def _summary(self, result, total, report):
        write = self.stdout.write
        write(f"Tổng số tệp: {total}")
        write(f"Đã nhập: {len(result.accepted)} văn bản")
        write(f"Trùng (đã có trong hệ thống, không nhập lại): {len(result.duplicates)}")
        write(f"Bị từ chối: {len(result.rejected)}")
        for item in result.rejected:
            write(f"  - {item['file']}: {item['message']} [{item['code']}]")
        if result.unmatched_metadata:
            write(f"Dòng siêu dữ liệu không khớp tệp nào: {len(result.unmatched_metadata)}")
            for item in result.unmatched_metadata:
                write(f"  - dòng {item['line']}: {item['file'] or '(trống)'}")
        if report:
            write(f"Báo cáo: {report}")


def _write_json(path, data):
    """Write whole or not at all: a temporary file renamed over the target."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, path)
