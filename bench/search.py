"""Search benchmark: synthetic Vietnamese records, bulk indexing rate, query latency.

    .venv/bin/python bench/search.py --docs 100000 [--repeat 10] [--json results.json]

The backend is the one the environment selects, as for hoso itself: SQLite FTS5 by default,
PostgreSQL with DATABASE_URL=postgres://..., OpenSearch with HOSO_SEARCH_BACKEND=opensearch
HOSO_SEARCH_URLS=.... Data lives in its own place (HOSO_VAR_DIR defaults to var/bench/search;
index prefix hoso_bench_) and grows between runs: --docs 1000000 after --docs 100000 adds the
900,000 missing records and indexes only those.

Each document has Appendix VI metadata and 1–2 KB of text; every 50 documents share a case file,
a third of them accepted by the archive under a public regime. Two agencies split the records.
Reported: records generated and indexed per second; for each of the query shapes, the latency
of the staff API (GET /api/v1/search/ in-process, with facets and snippets) and of the raw
backend query behind it (the engine's page without facets), p50/p95 over all runs, and their ratio.
HOSO_SEARCH_EXACT_LIMIT sets how many hits the embedded engine counts exactly (see README).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = [("Quyết định", "QĐ"), ("Công văn", ""), ("Thông báo", "TB"), ("Kế hoạch", "KH"), ("Báo cáo", "BC"),
         ("Tờ trình", "TTr"), ("Giấy mời", "GM"), ("Nghị quyết", "NQ")]
ORGANS = [("Ủy ban nhân dân tỉnh Sơn La", "UBND"), ("Sở Nội vụ", "SNV"), ("Sở Tài chính", "STC"),
          ("Sở Giao thông vận tải", "SGTVT"), ("Ủy ban nhân dân huyện Mường La", "UBND"),
          ("Sở Tài nguyên và Môi trường", "STNMT")]
PLACES = ["xã Chiềng Đen", "xã Chiềng Cọ", "phường Tô Hiệu", "huyện Mường La", "huyện Thuận Châu", "xã Hua La",
          "huyện Mộc Châu", "xã Chiềng Ngần", "thành phố Sơn La", "huyện Quỳnh Nhai", "xã Nà Ớt", "bản Nà Sài"]
TOPICS = ["phê duyệt kế hoạch đầu tư xây dựng đường giao thông", "bổ nhiệm cán bộ lãnh đạo",
          "giao chỉ tiêu kế hoạch phát triển kinh tế xã hội", "phân bổ kinh phí sự nghiệp giáo dục",
          "kiểm tra công tác cải cách hành chính", "tổ chức hội nghị tổng kết công tác năm",
          "thu hồi đất thực hiện dự án thủy điện", "hỗ trợ hộ nghèo đón Tết Nguyên đán",
          "phòng chống thiên tai và tìm kiếm cứu nạn", "quy hoạch sử dụng đất giai đoạn", "tuyển dụng công chức",
          "sửa chữa trụ sở làm việc", "cấp giấy chứng nhận quyền sử dụng đất", "bảo vệ và phát triển rừng",
          "chuyển đổi số trong cơ quan nhà nước", "xây dựng nông thôn mới", "an toàn thực phẩm",
          "chế độ tiền lương đối với cán bộ công chức", "thi đua khen thưởng", "lưu trữ hồ sơ tài liệu"]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {n}/TTr-SNV;",
    "Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành văn bản này.",
    "Văn bản này có hiệu lực kể từ ngày ký.",
    "Ủy ban nhân dân {place} tổ chức triển khai thực hiện {topic} đảm bảo đúng tiến độ.",
    "Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành thẩm định dự toán kinh phí.",
    "Đề nghị các đơn vị báo cáo kết quả thực hiện trước ngày {d} tháng {m} năm {y}.",
    "Tổng kinh phí thực hiện là {n} triệu đồng từ nguồn ngân sách tỉnh.",
    "Đường giao thông liên xã được nâng cấp, mở rộng phục vụ nhân dân đi lại.",
    "Người dân {place} được hỗ trợ giống cây trồng, vật nuôi để phát triển sản xuất.",
    "Chánh Văn phòng, Thủ trưởng các cơ quan liên quan chịu trách nhiệm thi hành.",
    "Trong quá trình thực hiện nếu có khó khăn vướng mắc, báo cáo về Sở Nội vụ để tổng hợp.",
    "Hồ sơ được lập và lưu trữ theo quy định tại Thông tư số 10/2022/TT-BNV.",
    "Cán bộ, công chức, viên chức nghiêm túc chấp hành kỷ luật, kỷ cương hành chính.",
    "Diện tích đất thu hồi là {n} mét vuông tại {place}.",
    "Thực hiện Quyết định số {n}/QĐ-UBND của Ủy ban nhân dân tỉnh về {topic}.",
]
SIGNERS = ["Nguyễn Văn An", "Đặng Thị Thu Hà", "Lê Đình Đạt", "Hoàng Văn Chiến", "Lò Văn Pấng", "Cầm Thị Hương",
           "Quàng Văn Bình", "Tòng Thị Liên"]
KINDS = ["received", "issued", "internal"]
PER_CASE_FILE = 50

# (label, API parameters, public search?)
SHAPES = [
    ("common folded words", {"q": "quyet dinh"}, False),
    ("common words with marks", {"q": "quyết định"}, False),
    ("three folded words", {"q": "duong giao thong"}, False),
    ("three words with marks", {"q": "đường giao thông"}, False),
    ("place name, folded", {"q": "chieng den"}, False),
    ("place name, NFD", {"q": unicodedata.normalize("NFD", "Chiềng Đen")}, False),
    ("phrase", {"q": '"phong chong thien tai"'}, False),
    ("phrase with marks", {"q": '"xây dựng nông thôn mới"'}, False),
    ("notation with marks", {"q": "125/QĐ-UBND"}, False),
    ("notation folded", {"q": "1234/qd-stc"}, False),
    ("four words AND", {"q": "thuy dien thu hoi dat"}, False),
    ("explicit OR", {"q": "ho ngheo OR an toan thuc pham"}, False),
    ("words + year", {"q": "kinh phi", "year": 2023}, False),
    ("words + document type", {"q": "can bo", "doc_type": "Quyết định"}, False),
    ("words + register", {"q": "rung", "register": "issued"}, False),
    ("words + date range", {"q": "bao cao", "date_from": "2021-01-01", "date_to": "2021-06-30"}, False),
    ("filters only (facets)", {"q": "", "year": 2024}, False),
    ("sorted by date", {"q": "tuyen dung cong chuc", "sort": "-date"}, False),
    ("sorted by number", {"q": "so noi vu", "sort": "number"}, False),
    ("page 5", {"q": "quyet dinh", "page": 5}, False),
    ("rare place", {"q": "Quỳnh Nhai thi đua"}, False),
    ("case files", {"q": "ho so chuyen doi so", "kind": "casefile"}, False),
    ("public: common words", {"q": "quyet dinh"}, True),
    ("public: place + year", {"q": "chieng den", "year": 2022}, True),
]


def document_fields(rng):
    type_name, type_code = rng.choice(TYPES)
    organ, organ_code = rng.choice(ORGANS)
    topic, place = rng.choice(TOPICS), rng.choice(PLACES)
    year = rng.randint(2019, 2026)
    text, size, target = [], 0, rng.randint(1000, 2000)
    while size < target:
        sentence = rng.choice(SENTENCES).format(n=rng.randint(1, 3000), place=rng.choice(PLACES),
                                                topic=rng.choice(TOPICS), d=rng.randint(1, 28),
                                                m=rng.randint(1, 12), y=year)
        text.append(sentence)
        size += len(sentence.encode()) + 1
    return {
        "type_name": type_name, "code_number": str(rng.randint(1, 3000)),
        "code_notation": f"{type_code}-{organ_code}" if type_code else organ_code, "organ_name": organ,
        "subject": (f"{type_name} về việc {topic} {place}" if rng.random() < 0.7 else f"V/v {topic} {place}"),
        "signer_full_name": rng.choice(SIGNERS), "signer_position": "Chủ tịch", "kind": rng.choice(KINDS),
        "issued_date": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
    }, " ".join(text)


def setup_django():
    os.environ.setdefault("HOSO_VAR_DIR", str(ROOT / "var" / "bench" / "search"))
    os.environ.setdefault("HOSO_SEARCH_INDEX_PREFIX", "hoso_bench_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def agencies():
    from accounts.models import Agency, Unit
    from accounts.roles import Role, ensure_role_groups
    from accounts.services import create_person

    ensure_role_groups()
    made = []
    for identifier, name, abbreviation in [("000.00.01.H53", "Ủy ban nhân dân tỉnh Sơn La", "ubnd"),
                                           ("000.00.02.H53", "Sở Nội vụ tỉnh Sơn La", "snv")]:
        agency, created = Agency.objects.get_or_create(identifier=identifier,
                                                       defaults={"name": name, "abbreviation": abbreviation})
        if created:
            Unit.objects.create(agency=agency, name="Văn phòng", code="VP")
            create_person(full_name="Văn thư Bench", agency=agency, unit=agency.units.first(), roles=[Role.CLERK],
                          password="Bench@2026")
        made.append(agency)
    return made


def generate(total, agency_list):
    """Add documents (and their case files) until there are `total`; returns the new document ids."""
    from casefiles.models import AccessRegime, Blob, CaseFile, CaseFileEntry, Document, DocumentFile

    have = Document.objects.count()
    if have >= total:
        return []
    rng = random.Random(have)
    blob, _ = Blob.objects.get_or_create(sha256="b" * 64, defaults={"size": 1, "mime_type": "application/pdf",
                                                                    "name": "bench.pdf"})
    regimes = {r.code: r for r in AccessRegime.objects.all()}
    new_ids = []
    for start in range(have, total, 5000):
        count = min(total, start + 5000) - start
        documents, texts = [], []
        for n in range(count):
            fields, text = document_fields(rng)
            documents.append(Document(agency=agency_list[(start + n) // PER_CASE_FILE % 2], **fields))
            texts.append(text)
        Document.objects.bulk_create(documents)
        ids = list(Document.objects.order_by("-pk").values_list("pk", flat=True)[:count])[::-1]
        DocumentFile.objects.bulk_create(
            [DocumentFile(document_id=pk, blob=blob, original_name=f"van-ban-{pk}.pdf", text=text,
                          text_source="ocr" if pk % 10 == 0 else "extracted") for pk, text in zip(ids, texts)])
        case_files, members = [], []
        for first in range(0, count, PER_CASE_FILE):
            group = ids[first:first + PER_CASE_FILE]
            number = (start + first) // PER_CASE_FILE + 1
            public = rng.random() < 1 / 3
            case_files.append(CaseFile(
                agency=documents[first].agency, year=documents[first].issued_date.year,
                file_notation=f"{number}.BENCH", title=f"Hồ sơ {rng.choice(TOPICS)} {rng.choice(PLACES)}",
                rights=regimes["01" if public or rng.random() < 0.5 else "03"], creator_name="Văn thư Bench",
                start_date=documents[first].issued_date, status=rng.choice(["open", "closed"]),
                retention_kind=rng.choice(["permanent", "years"]), retention_years=10,
                accepted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc) if public else None))
            members.append(group)
        CaseFile.objects.bulk_create(case_files)
        file_ids = list(CaseFile.objects.order_by("-pk").values_list("pk", flat=True)[:len(case_files)])[::-1]
        CaseFileEntry.objects.bulk_create([CaseFileEntry(case_file_id=cf, document_id=doc, ordinal=i)
                                           for cf, group in zip(file_ids, members)
                                           for i, doc in enumerate(group, start=1)])
        new_ids.extend(ids)
    return new_ids


def index_missing():
    """Index every record without an entry; returns (records, seconds)."""
    from casefiles.models import CaseFile, Document
    from search import indexing
    from search.engines import get_engine
    from search.models import SearchEntry

    engine = get_engine()
    done, started = 0, time.perf_counter()
    for kind, model in [("document", Document), ("casefile", CaseFile)]:
        have = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        todo = [pk for pk in model.objects.order_by("pk").values_list("pk", flat=True) if pk not in have]
        for start in range(0, len(todo), indexing.BATCH):
            indexing.refresh_batch(kind, todo[start:start + indexing.BATCH], engine)
            done += len(todo[start:start + indexing.BATCH])
            if done % 20000 < indexing.BATCH:
                print(f"  indexed {done} ({done / (time.perf_counter() - started):.0f}/s)", flush=True)
    if done:
        engine.optimize()
    engine.refresh()
    return done, time.perf_counter() - started


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]


def measure(repeat):
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.test import APIClient

    from accounts.models import User
    from search import services
    from search.engines import get_engine
    from search.query import parse

    clerk = User.objects.filter(agency__abbreviation="ubnd", groups__name="clerk").first()
    engine = get_engine()
    staff, public = APIClient(HTTP_HOST="127.0.0.1"), APIClient(HTTP_HOST="127.0.0.1")
    staff.force_authenticate(clerk)
    rows, api_all, raw_all = [], [], []
    for label, params, is_public in SHAPES:
        client, path = (public, "/api/v1/public/search/") if is_public else (staff, "/api/v1/search/")
        cleaned = services.read_params(params)
        query = parse(cleaned["q"])
        scope, narrow = services.selection(AnonymousUser() if is_public else clerk, cleaned, is_public)
        order = services.SORTS[cleaned["sort"]]
        offset = (cleaned["page"] - 1) * cleaned["page_size"]

        def raw():
            listing = order or ("-date" if query.match_all else None)
            return engine.find(query, scope, listing, offset, cleaned["page_size"], [], narrow).entries

        response = client.get(path, params)  # warm-up
        assert response.status_code == 200, response.content
        count, relation = response.json()["count"], response.json()["count_relation"]
        raw()
        api_times, raw_times = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path, params)
            api_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw()
            raw_times.append((time.perf_counter() - started) * 1000)
        api_all += api_times
        raw_all += raw_times
        rows.append({"shape": label, "params": params, "public": is_public, "count": count, "relation": relation,
                     "api_p50_ms": round(statistics.median(api_times), 1),
                     "raw_p50_ms": round(statistics.median(raw_times), 1)})
        print(f"  {label:28} {'>' if relation == 'gte' else ' '}{count:7} hits  API p50 {rows[-1]['api_p50_ms']:7.1f} ms  "
              f"raw p50 {rows[-1]['raw_p50_ms']:7.1f} ms", flush=True)
    summary = {
        "api_p50_ms": round(percentile(api_all, 50), 1), "api_p95_ms": round(percentile(api_all, 95), 1),
        "raw_p50_ms": round(percentile(raw_all, 50), 1), "raw_p95_ms": round(percentile(raw_all, 95), 1),
    }
    summary["api_to_raw_p50"] = round(summary["api_p50_ms"] / max(summary["raw_p50_ms"], 0.01), 2)
    summary["api_to_raw_p95"] = round(summary["api_p95_ms"] / max(summary["raw_p95_ms"], 0.01), 2)
    return rows, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100000, help="documents to have (default 100,000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query shape (default 10)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection

    from search.engines import get_engine

    print(f"backend: {get_engine().name} on {connection.vendor} ({settings.SEARCH_BACKEND})", flush=True)
    agency_list = agencies()
    started = time.perf_counter()
    new = generate(args.docs, agency_list)
    generated = time.perf_counter() - started
    print(f"generated {len(new)} documents in {generated:.0f} s", flush=True)
    indexed, seconds = index_missing()
    rate = indexed / seconds if indexed else 0
    print(f"indexed {indexed} records in {seconds:.0f} s: {rate:.0f} records/s", flush=True)
    from search.models import SearchEntry

    size = SearchEntry.objects.count()
    print(f"measuring {len(SHAPES)} query shapes x {args.repeat} over {size} entries", flush=True)
    rows, summary = measure(args.repeat)
    print(json.dumps(summary), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "backend": get_engine().name, "database": connection.vendor, "entries": size,
            "indexed": indexed, "index_seconds": round(seconds, 1), "records_per_second": round(rate),
            "summary": summary, "shapes": rows}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
