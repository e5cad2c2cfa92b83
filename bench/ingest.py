"""Intake benchmark: documents per second through the batch import, against the bare cost.

    .venv/bin/python bench/ingest.py [--n 200] [--rounds 3] [--database-url postgres://USER@HOST:PORT/ANY]
                                     [--profile]

Generates N Vietnamese text PDFs of 2–3 pages (reportlab) in a temporary folder, then measures

  bare      SHA-256 and pypdf text extraction of the same files, in one process;
  pipeline  the intake pipeline alone on each file (ingest.pipeline: copy, checks, text, signatures);
  full      ingest.batch.import_files (pipeline, atomic store, audit, and what runs after each commit
            on the embedded default: search indexing, routing) into a fresh database: the embedded
            default (SQLite and files in a temporary folder) and, with --database-url, PostgreSQL (a
            new database on that server, dropped afterwards).

Each database is measured in a child process (settings are read once, at django.setup()), in rounds
on files of their own (all new to the store): a bare pass, a pipeline pass, then a full import, so
all three see the same load on a shared machine; the best round of each and the median ratio are
reported. Migrations and one warm-up document are
not timed. --profile also profiles one more import (cProfile) and prints where its time goes.
Results: bench/README.md.
"""

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import machine, postgres_database, server_version  # noqa: E402  (bench/common.py, beside this script)

SENTENCES = [
    "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư,",
    "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố",
    "khẩn trương rà soát, tổng hợp tình hình thực hiện nhiệm vụ được giao trong năm,",
    "báo cáo kết quả về Văn phòng Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 để tổng hợp.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời",
    "để được hướng dẫn, giải quyết theo quy định của pháp luật hiện hành.",
]


def make_pdf(number: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from hoso.fonts import register_fonts

    regular, bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(2 + number % 2):
        pdf.setFont(bold, 13)
        pdf.drawString(72, 790, f"CÔNG VĂN SỐ {number}/UBND-VP — TRANG {page + 1}")
        text = pdf.beginText(72, 760)
        text.setFont(regular, 12)
        for line in range(40):
            text.textLine(SENTENCES[(number + page + line) % len(SENTENCES)])
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def generate(root: Path, n: int, sets: int):
    """root/set-1 ... root/set-<sets>, n different PDFs in each (every file new to the store), and a warm-up."""
    from tqdm import tqdm

    with tqdm(total=n * sets, desc="generating PDFs", unit="pdf", file=sys.stderr) as bar:
        for index in range(sets):
            folder = root / f"set-{index + 1}"
            folder.mkdir(parents=True)
            for number in range(index * n, (index + 1) * n):
                (folder / f"Công văn {number:05}.pdf").write_bytes(make_pdf(number))
                bar.update()
    (root / "warmup.pdf").write_bytes(make_pdf(n * sets))


def bare(files) -> dict:
    """SHA-256 and text of every file, nothing else."""
    from pypdf import PdfReader

    started = time.perf_counter()
    pages = size = 0
    for path in files:
        data = path.read_bytes()
        size += len(data)
        hashlib.sha256(data).hexdigest()
        reader = PdfReader(io.BytesIO(data))
        pages += len(reader.pages)
        "\n".join(page.extract_text() for page in reader.pages)
    return {"seconds": time.perf_counter() - started, "pages": pages, "bytes": size}


def measure(root: Path, database_url: str, work: Path, rounds: int, profile: bool) -> dict:
    """Run the rounds in a child process with its own settings."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "HOSO_STORAGE", "HOSO_SEARCH_BACKEND"}}
    env.update({"DATABASE_URL": database_url, "HOSO_VAR_DIR": str(work / "var"),
                "HOSO_MEDIA_ROOT": str(work / "media"), "HOSO_INGEST_TMP": str(work / "tmp"),
                "DJANGO_SETTINGS_MODULE": "hoso.settings"})
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    command = [sys.executable, __file__, "--child", str(root), "--rounds", str(rounds)]
    done = subprocess.run(command + (["--profile"] if profile else []), env=env, cwd=ROOT,
                          stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout.decode().splitlines()[-1])


def child(root: Path, rounds: int, profile: bool):
    """Inside the child: migrate and warm up; then, each round, on a set of files of its own, the bare
    cost, the pipeline alone and the full import, one after the other under the same load."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Agency
    from ingest import batch, pipeline

    call_command("migrate", verbosity=0, interactive=False)
    agency = Agency.objects.create(identifier="000.00.01.H53", name="Ủy ban nhân dân tỉnh", abbreviation="ubnd")
    batch.import_files(agency, batch.collect([root / "warmup.pdf"]))  # first-use imports and caches
    results = []
    for number in range(1, rounds + 1):
        folder = root / f"set-{number}"
        files = sorted(folder.iterdir())
        base = bare(files)
        started = time.perf_counter()
        for path in files:
            with pipeline.Workspace() as workspace, open(path, "rb") as handle:
                pipeline.process(workspace.add(handle, path.name), workspace)
        checks = time.perf_counter() - started
        started = time.perf_counter()
        report = batch.import_files(agency, batch.collect([folder]))
        seconds = time.perf_counter() - started
        assert len(report.accepted) == len(files), report.rejected
        results.append({"bare": base["seconds"], "pipeline": checks, "full": seconds})
    if profile:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.runcall(batch.import_files, agency, batch.collect([root / f"set-{rounds + 1}"]))
        breakdown(pstats.Stats(profiler), time.perf_counter() - started, len(files))
    print(json.dumps({"documents": len(files), "pages": base["pages"], "bytes": base["bytes"],
                      "server": server_version(connection), "rounds": results}))


PHASES = [  # (label, file name ending, function): cumulative times read from the profile
    ("batch: duplicate checks (before and in the transaction)", "ingest/services.py", "find_duplicates"),
    ("pipeline: copy into the workspace, SHA-256", "ingest/pipeline.py", "add"),
    *[(f"pipeline step: {step}", f"ingest/steps/{step}.py", "run")
      for step in ("size", "filename", "filetype", "archive", "xml", "pdf", "extract", "signatures")],
    ("store: the whole transaction, and what runs after it", "ingest/batch.py", "_store"),
    ("  ingest.services.store: record, files, signatures", "ingest/services.py", "store"),
    ("    blobstore.store: spool, hash, libmagic, save", "casefiles/blobstore.py", "store"),
    ("      fsync of file and folder", "~", "<built-in method posix.fsync>"),
    ("    audit.record", "accounts/audit.py", "record"),
    ("    routing queue entry (post_save)", "routing/signals.py", "queue_received"),
    ("  commit", "django/db/backends/base/base.py", "commit"),
    ("search indexing, every 200 files (in-process)", "hoso/batching.py", "flush"),
]


def breakdown(stats, seconds, documents):
    """Print the time of each phase per document (profiled, so slower than the timed run)."""
    profiled = stats.total_tt
    print(f"\nProfile: {profiled / documents * 1000:.1f} ms per document under cProfile "
          f"({seconds / documents * 1000:.1f} ms timed with it on)", file=sys.stderr)
    for label, ending, function in PHASES:
        cumulative = sum(entry[3] for (filename, _line, name), entry in stats.stats.items()
                         if filename.endswith(ending) and name == function)
        print(f"  {label:<55} {cumulative / documents * 1000:7.1f} ms  {cumulative / profiled:6.1%}",
              file=sys.stderr)
    stats.stream = sys.stderr
    stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(?!\.venv)", 40)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="documents to generate (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of bare + full per database (default 3)")
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server (postgres://...)")
    parser.add_argument("--profile", action="store_true", help="also profile one import: where the time goes")
    parser.add_argument("--child", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child), args.rounds, args.profile)

    results = []
    with tempfile.TemporaryDirectory(prefix="hoso-bench-") as temp:
        temp = Path(temp)
        root = temp / "pdfs"
        generate(root, args.n, args.rounds + args.profile)
        sqlite_url = f"sqlite:///{temp / 'sqlite' / 'hoso.sqlite3'}"
        results.append(measure(root, sqlite_url, temp / "sqlite", args.rounds, args.profile))
        if args.database_url:
            url, drop = postgres_database(args.database_url)
            try:
                results.append(measure(root, url, temp / "pg", args.rounds, args.profile))
            finally:
                drop()
    first = results[0]
    print(f"\nMachine: {machine()}, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{first['documents']} PDFs, {first['pages']} pages, {first['bytes'] / first['documents'] / 1024:.0f} KiB "
          f"each; {args.rounds} rounds, each on files of its own: a bare pass, the pipeline alone, a full import")
    print("\n| Database | bare: documents/s | pipeline only: documents/s | full: documents/s "
          "| full ÷ bare time (median; rounds) |")
    print("|---|---:|---:|---:|---:|")
    for result in results:
        n, rounds = result["documents"], result["rounds"]
        best = {key: n / min(r[key] for r in rounds) for key in ("bare", "pipeline", "full")}
        ratios = sorted(r["full"] / r["bare"] for r in rounds)
        print(f"| {result['server']} | {best['bare']:.1f} | {best['pipeline']:.1f} | {best['full']:.1f} | "
              f"{ratios[len(ratios) // 2]:.1f} ({', '.join(f'{x:.1f}' for x in ratios)}) |")

if __name__ == "__main__":
    main()
