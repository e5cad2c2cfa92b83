from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts import audit
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the hash chain and names the first broken entry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check that no entry was altered, inserted or deleted")

    def handle(self, *args, action, **options):
        total = AuditEntry.objects.count()
        with tqdm(total=total, unit="entry", disable=options["verbosity"] < 1 or total < 10000,
                  file=self.stderr) as bar:
            problem = audit.verify(progress=bar.update)
        if problem is not None:
            raise CommandError(f"audit trail broken at entry #{problem.seq} ({problem.kind}): {problem.message}")
        self.stdout.write(f"audit trail intact: {total} entries")
