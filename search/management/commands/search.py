import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.errors import HosoError
from accounts.models import User
from search import maintenance, services
from search.engines import get_engine

ACTIONS = {"reindex", "check"}


class Command(BaseCommand):
    help = (
        'Search the records, or look after the index. `hoso search "quyết định"` searches (every agency, '
        "or --agency); `hoso search reindex` rebuilds the index (Elasticsearch/OpenSearch: into a new "
        "index, then the alias moves); `hoso search check` finds and repairs drift between the records "
        "and the index (--dry-run: report only; --content: also compares every record's indexed content, "
        "not only which records are indexed). To search for the word reindex or check, use --query."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="*", metavar="QUERY|reindex|check")
        parser.add_argument("--query", help="the query, when it is one of the words reindex or check")
        parser.add_argument("--agency", metavar="CODE", help="only this agency (identifier or abbreviation)")
        parser.add_argument("--year", type=int)
        parser.add_argument("--kind", choices=["document", "casefile"])
        parser.add_argument("--public", action="store_true", help="search as the anonymous public does")
        parser.add_argument("--limit", type=int, default=20, help="hits to show (at most 100)")
        parser.add_argument("--json", action="store_true", help="print the hits as JSON")
        parser.add_argument("--dry-run", action="store_true", help="check: report drift, repair nothing")
        parser.add_argument("--content", action="store_true",
                            help="check: also find entries whose content is older than the records (slower: "
                                 "every record is read)")

    def handle(self, *args, words, query=None, **options):
        if query is None and words and words[0] in ACTIONS:
            if len(words) > 1:
                raise CommandError(f"'{words[0]}' takes no further words.")
            return getattr(self, f"run_{words[0]}")(options)
        text = query if query is not None else " ".join(words)
        if not text.strip():
            raise CommandError('Give a query, e.g. hoso search "quyết định", or reindex / check.')
        return self.query(text, options)

    def query(self, text, options):
        data = {"q": text, "page_size": min(max(options["limit"], 1), 100), "year": options["year"],
                "kind": options["kind"], "agency": options["agency"]}
        operator = User(is_superuser=True, is_active=True)
        try:
            params = services.read_params({k: v for k, v in data.items() if v is not None})
            results = services.search(operator, params, public=options["public"], with_facets=False)
        except HosoError as exc:
            raise CommandError(f"{exc.message} {exc.detail or ''}".strip()) from exc
        if options["json"]:
            hits = [{("document_id" if h["kind"] == "document" else "case_file_id"): h["id"], "kind": h["kind"],
                     "files": h["files"], "number_notation": h["number_notation"], "subject": h["title"],
                     "date": h["date"], "score": h["score"]} for h in results.hits]
            self.stdout.write(json.dumps({"count": results.total, "count_relation": results.relation, "results": hits},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{'' if results.exact else 'Hơn '}{results.total} kết quả ({results.engine})")
        for hit in results.hits:
            label = f"{hit['number_notation']} " if hit["number_notation"] else ""
            self.stdout.write(f"  [{hit['kind']} {hit['id']}] {label}{hit['title']}  ({hit['score']})")

    def _progress(self, options):
        """A progress bar over every record, on stderr."""
        return tqdm(total=maintenance.record_count(), unit="bản ghi", file=getattr(self.stderr, "_out", self.stderr),
                    disable=options["verbosity"] < 1)

    def run_reindex(self, options):
        engine = get_engine()
        with self._progress(options) as bar:
            drifts, orphans = maintenance.rebuild(bar.update, engine=engine)
        self.stdout.write(f"Đã lập lại chỉ mục ({engine.name}).")
        self._report(drifts, orphans, repaired=True)

    def run_check(self, options):
        repair = not options["dry_run"]
        if options["content"]:
            with self._progress(options) as bar:
                drifts, orphans = maintenance.check(repair=repair, content=True, progress=bar.update)
        else:
            drifts, orphans = maintenance.check(repair=repair)
        self._report(drifts, orphans, repaired=repair, content=options["content"])
        if options["dry_run"] and (orphans or any(not d.clean for d in drifts)):
            raise CommandError("Chỉ mục lệch so với dữ liệu.", returncode=3)

    def _report(self, drifts, orphans, repaired, content=False):
        for drift in drifts:
            stale = f", nội dung cũ {len(drift.stale)}" if content else ""
            self.stdout.write(f"{drift.kind}: {drift.records} bản ghi, {drift.entries} mục chỉ mục, "
                              f"thiếu {len(drift.missing)}, thừa {len(drift.extra)}{stale}")
        self.stdout.write(f"mục chỉ mục không thuộc bản ghi nào: {len(orphans)}")
        clean = not orphans and all(d.clean for d in drifts)
        self.stdout.write("Chỉ mục khớp dữ liệu." if clean else ("Đã sửa." if repaired else "Chưa sửa (--dry-run)."))
