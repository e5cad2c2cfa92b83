"""Numbering benchmark: registrations per second from concurrent workers, and every number given once.

    .venv/bin/python bench/numbering.py [--n 1000] [--workers 20] [--database-url postgres://USER@HOST:PORT/ANY]

For each database — the embedded default (SQLite in a temporary folder) and, with --database-url,
PostgreSQL (a new database on that server, dropped afterwards) — a child process migrates, then for
each pass creates an agency of its own (its numbers start at 1), a clerk and N received documents in
the incoming queue (not timed), and starts the workers: threads, each with its own database
connection, taking the documents from a shared queue, all released together. Passes:

  number    routing.registers.take_number: the register row locked, the next number, its entry;
  register  routing.incoming.register: the whole registration (the queue entry locked, duplicate
            check, trace, audit entry, the number, arrival number and date written on the document).

each with --workers threads and, for reference, with one. A pass fails loudly (exit status 1) unless
the numbers 1..N were each given exactly once: in the register's entries, its last number and, for
"register", the documents' arrival numbers. Results: bench/README.md.
"""

import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import machine, postgres_database, server_version  # noqa: E402  (bench/common.py, beside this script)


class NumberingError(AssertionError):
    pass


def check_once(label, numbers, n):
    """Every number 1..n exactly once, or a NumberingError naming what is missing and what is repeated."""
    counts = Counter(numbers)
    missing = [number for number in range(1, n + 1) if counts[number] == 0]
    repeated = sorted(number for number, count in counts.items() if count > 1)
    stray = sorted(number for number in counts if not 1 <= (number or 0) <= n)
    if missing or repeated or stray:
        raise NumberingError(f"{label}: {len(missing)} missing {missing[:10]}, {len(repeated)} repeated "
                             f"{repeated[:10]}, {len(stray)} out of range {stray[:10]}")


def prepare(pass_number, n):
    """A new agency with a clerk and n received documents in its incoming queue (bulk, not timed)."""
    from accounts.models import Agency
    from accounts.roles import Role
    from accounts.services import create_person
    from casefiles.models import Document
    from routing.models import Incoming

    agency = Agency.objects.create(identifier=f"000.00.{pass_number:02d}.H53", name=f"Ủy ban nhân dân {pass_number}",
                                   abbreviation=f"ubnd{pass_number}")
    clerk = create_person(full_name="Đặng Thị Thu Hà", agency=agency, roles=[Role.CLERK])
    clerk.has_role(Role.CLERK)  # roles read once, before the threads share the person
    documents = Document.objects.bulk_create([
        Document(agency=agency, kind=Document.Kind.RECEIVED, type_name="Công văn", code_number=str(number),
                 code_notation="UBND-VP", organ_name="Ủy ban nhân dân huyện Mộc Châu",
                 subject=f"V/v báo cáo tình hình thực hiện nhiệm vụ, lần {number}")
        for number in range(1, n + 1)])
    Incoming.objects.bulk_create([Incoming(document=document, source="bench") for document in documents])
    items = list(Incoming.objects.filter(document__agency=agency).select_related("document").order_by("pk"))
    return agency, clerk, items


def run_workers(work, items, workers):
    """Run work(item) for every item from `workers` threads released together; the seconds taken."""
    from django.db import connection

    errors = []
    start = threading.Barrier(workers + 1)

    def worker():
        try:
            connection.ensure_connection()  # connected before the clock starts
            start.wait()
            while True:
                try:
                    item = waiting.get_nowait()
                except queue.Empty:
                    return
                work(item)
        except Exception as exc:  # reported by the caller
            errors.append(exc)
            start.abort()
        finally:
            connection.close()

    waiting = queue.SimpleQueue()
    for item in items:
        waiting.put(item)
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise NumberingError(f"{len(errors)} workers failed; first: {errors[0]!r}") from errors[0]
    return seconds


def one_pass(pass_number, mode, n, workers):
    from casefiles.models import Document
    from routing import incoming, registers
    from routing.models import Incoming, Register, RegisterEntry

    agency, clerk, items = prepare(pass_number, n)
    if mode == "number":
        def work(item):
            registers.take_number(agency, Register.Kind.INCOMING, document=item.document, actor=clerk)
    else:
        def work(item):
            incoming.register(item, clerk)
    seconds = run_workers(work, items, workers)

    register = Register.objects.get(agency=agency, kind=Register.Kind.INCOMING)
    label = f"{mode}, {workers} workers"
    check_once(f"{label}: register entries",
               RegisterEntry.objects.filter(register=register).values_list("number", flat=True), n)
    if register.last_number != n:
        raise NumberingError(f"{label}: the register's last number is {register.last_number}, not {n}")
    if mode == "register":
        check_once(f"{label}: arrival numbers",
                   Document.objects.filter(agency=agency).values_list("arrival_number", flat=True), n)
        if Incoming.objects.filter(document__agency=agency).exclude(state=Incoming.State.REGISTERED).exists():
            raise NumberingError(f"{label}: documents left unregistered")
    return {"mode": mode, "workers": workers, "n": n, "seconds": seconds}


def child(n, workers):
    """Inside the child: migrate, then the passes, one agency each; JSON on the last line of stdout."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    results, pass_number = [], 0
    for mode in ("number", "register"):
        for count in (1, workers):
            pass_number += 1
            results.append(one_pass(pass_number, mode, n, count))
            print(f"  {mode:>8}, {count:>2} workers: {n / results[-1]['seconds']:7.1f}/s", file=sys.stderr)
    print(json.dumps({"server": server_version(connection), "passes": results}))


def measure(database_url, work_dir: Path, n, workers):
    """Run the passes in a child process with its own settings (read once, at django.setup())."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "HOSO_STORAGE", "HOSO_SEARCH_BACKEND"}}
    env.update({"DATABASE_URL": database_url, "HOSO_VAR_DIR": str(work_dir / "var"),
                "HOSO_MEDIA_ROOT": str(work_dir / "media"), "DJANGO_SETTINGS_MODULE": "hoso.settings"})
    done = subprocess.run([sys.executable, __file__, "--child", "--n", str(n), "--workers", str(workers)],
                          env=env, cwd=ROOT, stdout=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"numbering benchmark FAILED on {database_url.split('://')[0]} (see above)")
    return json.loads(done.stdout.decode().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="registrations per pass (default 1000)")
    parser.add_argument("--workers", type=int, default=20, help="concurrent workers (default 20)")
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server (postgres://...)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        try:
            return child(args.n, args.workers)
        except NumberingError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            raise SystemExit(1) from None

    results = []
    with tempfile.TemporaryDirectory(prefix="hoso-bench-") as temp:
        temp = Path(temp)
        print("SQLite (embedded default):", file=sys.stderr)
        results.append(measure(f"sqlite:///{temp / 'sqlite' / 'hoso.sqlite3'}", temp / "sqlite", args.n,
                               args.workers))
        if args.database_url:
            url, drop = postgres_database(args.database_url)
            try:
                print("PostgreSQL:", file=sys.stderr)
                results.append(measure(url, temp / "pg", args.n, args.workers))
            finally:
                drop()
    print(f"\nMachine: {machine()}, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{args.n} registrations a pass; every number 1..{args.n} given exactly once in every pass\n")
    print("| Database | Pass | Workers | Seconds | Registrations/s |")
    print("|---|---|---:|---:|---:|")
    for result in results:
        for one in result["passes"]:
            print(f"| {result['server']} | {one['mode']} | {one['workers']} | {one['seconds']:.2f} | "
                  f"{one['n'] / one['seconds']:.0f} |")


if __name__ == "__main__":
    main()
