"""``hoso edxml export DOCUMENT_ID [-o FILE]`` and ``hoso edxml status DOCUMENT_ID CODE [-d TEXT] [-o FILE]``."""

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import HosoError
from casefiles import blobstore
from casefiles.models import Document
from ingest import edxml


class Command(BaseCommand):
    help = "edXML packages (QCVN 102:2016): export an issued document, or produce a status reply."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the edXML package of an issued document")
        export.add_argument("document_id", type=int)
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        status = actions.add_parser("status", help="produce and store a status package for a received document")
        status.add_argument("document_id", type=int)
        status.add_argument("code", choices=sorted(edxml.status_codes),
                            help="; ".join(f"{code} {label}" for code, label in edxml.status_codes.items()))
        status.add_argument("-d", "--description", default="", help="what to tell the sender (a refusal's reason)")
        status.add_argument("-o", "--output", help="also write the package to this file ('-' for standard output)")

    def handle(self, *args, action, document_id, output=None, **options):
        document = Document.objects.select_related("agency").filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"Không có văn bản số {document_id}.")
        try:
            if action == "export":
                data = edxml.build_document_package(document)
                output = output or "-"
            else:
                package = edxml.build_status(document, options["code"], description=options["description"])
                with blobstore.open_blob(package.blob) as handle:
                    data = handle.read()
                self.stderr.write(f"Đã tạo gói trạng thái {package.status_code} (gói số {package.pk}).")
        except HosoError as exc:
            raise CommandError(exc.message) from exc
        if output == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
        elif output:
            with open(output, "wb") as handle:
                handle.write(data)
