"""Filter values and sort buckets as words of the embedded engine's FTS5 ``tags`` column.

The SQLite engine adds the caller's scope and equality filters to the MATCH
expression, so FTS5 intersects them with the query's words before any entry is
read. It only narrows: the entries queryset still applies every condition
exactly (a tag that folds two values together cannot widen a result).

Each entry also carries the bucket of its sort values (the month of its date, the
tens of its number): a broad search sorted by date or number reads its hits a
bucket at a time, newest (or smallest) first, instead of sorting every hit.
"""

import datetime
import re

from hoso.text import fold

PREFIXES = {"kind": "k", "agency_id": "a", "unit_id": "u", "year": "y", "public": "p", "register": "r",
            "status": "s", "retention": "t", "rights": "x", "doc_type": "d"}
BUCKET_PREFIXES = {"date": "m", "number": "n"}
NUMBER_STEP = 10  # numbers per bucket
MAX_MONTHS = 120  # longest date range narrowed by its months


def token(field, value):
    if isinstance(value, bool):
        value = int(value)
    return "z" + PREFIXES[field] + re.sub(r"[\W_]", "", fold(str(value)))


def bucket(field, value):
    """The tag of the sort bucket that holds this date or number ("none" when it is unset)."""
    if value is None:
        key = "none"
    elif field == "date":
        key = f"{value:%Y%m}"
    else:
        key = str(value // NUMBER_STEP)
    return "z" + BUCKET_PREFIXES[field] + key


def bucket_bounds(field, value):
    """The values of the bucket holding value: (lowest, above the highest)."""
    if field == "date":
        low = value.replace(day=1)
        return low, (low.replace(year=low.year + 1, month=1) if low.month == 12 else low.replace(month=low.month + 1))
    low = value // NUMBER_STEP * NUMBER_STEP
    return low, low + NUMBER_STEP


def neighbour(field, value, descending):
    """A value in the bucket next to value's, going down or up (None below the lowest)."""
    low, high = bucket_bounds(field, value)
    if not descending:
        return high
    if field == "date":
        return low - datetime.timedelta(days=1) if low > datetime.date.min else None
    return low - 1 if low > 0 else None


def for_entry(entry):
    """The tags column of an entry."""
    return " ".join([*(token(f, getattr(entry, f)) for f in PREFIXES if getattr(entry, f) not in (None, "")),
                     *(bucket(f, getattr(entry, f)) for f in BUCKET_PREFIXES)])


def _months(low, high):
    """The bucket tags of the months from date low to date high, or None when there are more than
    MAX_MONTHS of them (a long OR costs more than it saves)."""
    months, month = [], low.replace(day=1)
    while month <= high and len(months) <= MAX_MONTHS:
        months.append(bucket("date", month))
        month = bucket_bounds("date", month)[1]
    return months if len(months) <= MAX_MONTHS else None


def match(conditions):
    """An FTS5 expression for the equality conditions among (Django lookup, value) pairs
    (("year", 2024), ("kind__in", [...])) and for a closed date range (the months it spans);
    others are left to the queryset. Empty when none applies."""
    parts, dates = [], {}
    for lookup, value in conditions:
        field, _, operator = lookup.partition("__")
        if field == "date" and operator in ("gte", "lte"):
            dates[operator] = value
        if field not in PREFIXES or operator not in ("", "in") or value in (None, ""):
            continue
        values = list(value) if operator == "in" else [value]
        if not values:
            continue
        parts.append("(" + " OR ".join(f'"{token(field, v)}"' for v in values) + ")")
    if len(dates) == 2 and (months := _months(dates["gte"], dates["lte"])):
        parts.append("(" + " OR ".join(f'"{month}"' for month in months) + ")")
    return f"tags : ({' AND '.join(parts)})" if parts else ""
