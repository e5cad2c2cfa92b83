"""Filter values as words of the embedded engine's FTS5 ``tags`` column.

The SQLite engine adds the caller's scope and equality filters to the MATCH
expression, so FTS5 intersects them with the query's words before any entry is
read. It only narrows: the entries queryset still applies every condition
exactly (a tag that folds two values together cannot widen a result).
"""

import re

from hoso.text import fold

EVERY = "zall"  # on every entry: lets a query add optional words (see search.query.to_fts5)
PREFIXES = {"kind": "k", "agency_id": "a", "unit_id": "u", "year": "y", "public": "p", "register": "r",
            "status": "s", "retention": "t", "rights": "x", "doc_type": "d"}


def token(field, value):
    if isinstance(value, bool):
        value = int(value)
    return "z" + PREFIXES[field] + re.sub(r"[\W_]", "", fold(str(value)))


def for_entry(entry):
    """The tags column of an entry."""
    return " ".join([EVERY, *(token(f, getattr(entry, f)) for f in PREFIXES if getattr(entry, f) not in (None, ""))])


def match(conditions):
    """An FTS5 expression for the equality conditions among (Django lookup, value) pairs
    (("year", 2024), ("kind__in", [...])); others (ranges) are left to the queryset. Empty when
    none applies."""
    parts = []
    for lookup, value in conditions:
        field, _, operator = lookup.partition("__")
        if field not in PREFIXES or operator not in ("", "in") or value in (None, ""):
            continue
        values = list(value) if operator == "in" else [value]
        if not values:
            continue
        parts.append("(" + " OR ".join(f'"{token(field, v)}"' for v in values) + ")")
    return f"tags : ({' AND '.join(parts)})" if parts else ""
