import time

from django.conf import settings
from django.core.management.base import BaseCommand

from hoso import demo


class Command(BaseCommand):
    help = (
        "Load the demo data (Sơn La: four agencies, a person in every role, ~30 documents with PDFs, file "
        "plans and case files, signing keys, documents at every step of their handling) and print the "
        "logins. Does nothing when the demo agencies already exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true",
                            help="only print the demo logins; create nothing")

    def handle(self, *args, logins=False, verbosity=1, **options):
        if logins:
            self.stdout.write(demo.format_logins(demo.demo_logins(), settings.WAGTAILADMIN_BASE_URL))
            return
        started = time.monotonic()
        # The bar writes to the raw stream: OutputWrapper would end each redraw with a newline.
        stream = getattr(self.stderr, "_out", self.stderr)
        result = demo.load_demo(progress=stream if verbosity >= 1 else None)
        if result is None:
            self.stdout.write("Demo data already loaded: nothing created.\n")
        else:
            self.stdout.write(
                f"Demo data loaded: {len(result.agencies)} agencies, {len(result.users)} users, "
                f"{len(result.documents)} documents, {len(result.plans)} file plans, "
                f"{len(result.case_files)} case files ({time.monotonic() - started:.1f} s).\n"
            )
        self.stdout.write(demo.format_logins(demo.demo_logins(), settings.WAGTAILADMIN_BASE_URL))
