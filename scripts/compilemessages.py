#!/usr/bin/env python3
"""Compile every django.po of the project into its django.mo, with polib (no GNU gettext needed).

Usage: python scripts/compilemessages.py [--check]
With --check, write nothing and exit 1 when a .mo is missing or differs from its compiled .po.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var"}


def catalogs():
    for po_path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/*.po")):
        if not SKIP.intersection(po_path.relative_to(ROOT).parts):
            yield po_path, po_path.with_suffix(".mo")


def main(argv):
    check = "--check" in argv
    stale = []
    for po_path, mo_path in catalogs():
        catalog = polib.pofile(str(po_path))
        if check:
            if not mo_path.exists() or mo_path.read_bytes() != catalog.to_binary():
                stale.append(po_path)
            continue
        catalog.save_as_mofile(str(mo_path))
        print(f"{mo_path.relative_to(ROOT)}: {len(catalog.translated_entries())} messages, "
              f"{len(catalog.untranslated_entries())} untranslated")
    for po_path in stale:
        print(f"{po_path.relative_to(ROOT)}: .mo missing or out of date", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
