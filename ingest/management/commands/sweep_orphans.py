from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from ingest import sweeper


class Command(BaseCommand):
    help = (
        "Remove stored objects that no record names (left by a process killed while storing) and stale "
        "intake folders, once older than HOSO_ORPHAN_MAX_AGE_HOURS. Records are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-age-hours", type=float, default=None,
                            help=f"keep what is younger (default {settings.HOSO_ORPHAN_MAX_AGE_HOURS})")
        parser.add_argument("--dry-run", action="store_true", help="only list what would be removed")

    def handle(self, *args, max_age_hours=None, dry_run=False, verbosity=1, **options):
        # The bar writes to the raw stream: OutputWrapper would end each redraw with a newline.
        stream = getattr(self.stderr, "_out", self.stderr)
        with tqdm(unit="tệp", file=stream, disable=verbosity < 1) as bar:
            report = sweeper.sweep(max_age_hours, dry_run=dry_run, progress=bar.update)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        for name in report.removed:
            self.stdout.write(f"{verb}: {name}")
        for folder in report.workspaces:
            self.stdout.write(f"{verb} thư mục tạm: {folder}")
        self.stdout.write(
            f"Đã quét {report.scanned} tệp lưu trữ. {verb} {len(report.removed)} tệp mồ côi "
            f"và {len(report.workspaces)} thư mục tạm; giữ lại {len(report.young)} tệp mồ côi còn mới."
        )
