"""Rebuilding the index and repairing drift between the records and the index."""

from dataclasses import dataclass, field

from casefiles.models import CaseFile, Document

from . import indexing
from .engines import get_engine
from .models import SearchEntry

SOURCES = {indexing.DOCUMENT: Document, indexing.CASE_FILE: CaseFile}


def record_count():
    return sum(model.objects.count() for model in SOURCES.values())


def rebuild(progress=lambda n: None, engine=None):
    """Re-read every record into a fresh index. Elasticsearch/OpenSearch fill a new index and swap
    the alias at the end; the database engines rewrite entries in place. Searches work throughout."""
    engine = engine or get_engine()

    def batches():
        for kind, model in SOURCES.items():
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), indexing.BATCH):
                chunk = ids[start:start + indexing.BATCH]
                yield indexing.refresh_batch(kind, chunk, engine, add=False)
                progress(len(chunk))

    engine.rebuild(batches())
    return check(engine=engine)  # entries of records deleted meanwhile, writes the swap missed


@dataclass
class Drift:
    kind: str
    records: int = 0
    entries: int = 0
    missing: list = field(default_factory=list)  # records without an entry, or whose entry is not indexed
    extra: list = field(default_factory=list)  # entries whose record is gone
    stale: list = field(default_factory=list)  # records whose entry or index document holds older content

    @property
    def clean(self):
        return not self.missing and not self.extra and not self.stale


def check(repair=True, engine=None, content=False, progress=lambda n: None):
    """Compare records, entries and the index, per kind; with repair, index what is missing or stale
    and drop what is extra. With content, every record's entry is rebuilt in memory and its
    fingerprint compared with the row's and, where the index can lag behind the row
    (Elasticsearch/OpenSearch), the index document's: a change committed without its indexing
    (a crash before the commit-time job ran) or a failed write to the index. `progress` is told of
    each batch of records compared. Returns the drift found (before repair) and the index rows no
    entry owns."""
    engine = engine or get_engine()
    engine.refresh()
    printed = engine.indexed_fingerprints() if content else None
    indexed = engine.indexed_ids() if printed is None else set(printed)
    drifts = []
    owned = set()
    for kind, model in SOURCES.items():
        records = set(model.objects.values_list("pk", flat=True))
        entries = dict(SearchEntry.objects.filter(kind=kind).values_list("object_id", "pk"))
        owned.update(entries.values())
        drift = Drift(kind, records=len(records), entries=len(entries))
        drift.missing = sorted(pk for pk in records if pk not in entries or entries[pk] not in indexed)
        drift.extra = sorted(pk for pk in entries if pk not in records)
        if content:
            drift.stale = _stale(kind, sorted(records), set(drift.missing), printed, progress)
        drifts.append(drift)
        if repair:
            indexing.refresh([(kind, pk) for pk in drift.missing + drift.extra + drift.stale], engine=engine)
    orphans = sorted(indexed - owned)
    if repair and orphans:
        engine.delete_ids(orphans)
    return drifts, orphans


def _stale(kind, ids, missing, printed, progress):
    """The records among ids, but for the missing ones, whose entry's fingerprint, or whose index
    document's (printed: {entry id: fingerprint}; None when the index is the row), is not the one
    their records give now."""
    load = indexing.LOADERS[kind][0]
    stale = []
    for start in range(0, len(ids), indexing.BATCH):
        chunk = ids[start:start + indexing.BATCH]
        rows = {object_id: (pk, saved) for object_id, pk, saved in SearchEntry.objects.filter(
            kind=kind, object_id__in=chunk).values_list("object_id", "pk", "fingerprint")}
        for entry in indexing.entries_for(kind, load(chunk)):
            if entry.object_id in missing:
                continue
            pk, saved = rows.get(entry.object_id, (None, None))  # None: the entry left meanwhile
            if entry.fingerprint != saved or (printed is not None and entry.fingerprint != printed.get(pk)):
                stale.append(entry.object_id)
        progress(len(chunk))
    return stale
