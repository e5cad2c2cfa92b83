"""Keeping the index in step with the records, in batches.

A *ref* names what changed: ``["document", id]``, ``["casefile", id]`` (the case
file's own entry), ``["casefile_tree", id]`` (the case file and every document
filed in it: their filters and public flag come from it) or ``["regime", id]``
(every case file under an access regime, and their documents). ``refresh``
re-reads the records: existing ones are (re)indexed, missing ones leave the
index. Running it twice changes nothing.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Prefetch

from casefiles.models import CaseFile, CaseFileEntry, Document, DocumentFile

from . import vietnamese
from .engines import get_engine
from .query import notation_key
from .models import SearchEntry

logger = logging.getLogger("hoso.search")

DOCUMENT, CASE_FILE = SearchEntry.Kind.DOCUMENT, SearchEntry.Kind.CASE_FILE
BATCH = 500
ENTRY_FIELDS = ["agency_id", "unit_id", "year", "doc_type", "register", "retention", "rights", "status", "date",
                "number", "public", "heading", "label", "notation_key"]


def _leading_number(text):
    digits = ""
    for char in text or "":
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits and len(digits) < 10 else None


def _date(value):
    return f"{value:%d/%m/%Y}" if value else ""


def _texts(title_parts, meta_parts, full_text=""):
    title = " ".join(p for p in title_parts if p)
    meta = " ".join(p for p in meta_parts if p)
    original = f"{title} {meta} {full_text}"
    return {
        "title": vietnamese.folded(title),
        "body": vietnamese.folded(f"{meta} {full_text}"),
        "exact": vietnamese.exact(original),
        "suggest": vietnamese.folded(title),
    }


# --- documents -------------------------------------------------------------------------------


def _documents(ids):
    return (
        Document.objects.filter(pk__in=ids)
        .select_related("agency")
        .prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.only(
                "id", "document_id", "original_name", "text", "ordinal")),
            "recipients",
            Prefetch("case_entries", queryset=CaseFileEntry.objects.select_related(
                "case_file__rights", "case_file__agency").order_by("case_file_id")),
        )
    )


def _document_entry(document):
    case_files = [entry.case_file for entry in document.case_entries.all()]
    first = case_files[0] if case_files else None
    # Public only when every case file holding it was accepted by the archive under a public regime.
    public = bool(case_files) and not document.is_recalled and all(cf.is_public for cf in case_files)
    fields = {
        "agency_id": document.agency_id,
        "unit_id": document.unit_id,
        "year": (document.issued_date or document.created_at).year,
        "doc_type": document.type_name,
        "register": document.kind,
        "retention": first.retention_kind if first else "",
        "rights": first.rights.code if first else "",
        "status": first.status if first else "",
        "date": document.issued_date,
        "number": _leading_number(document.code_number),
        "public": public,
        "heading": document.subject[:500],
        "label": (document.number_notation or "")[:60],
        "notation_key": notation_key(document.number_notation)[:60],
    }
    files = list(document.files.all())
    meta = [
        document.type_name, document.organ_name, document.signer_position, document.signer_full_name,
        _date(document.issued_date), document.description, document.to_places, document.identifier,
        str(document.arrival_number or ""), _date(document.due_date),
        *(r.organ_name for r in document.recipients.all()),
        *(f.original_name for f in files),
        *(f"{cf.file_code} {cf.title}" for cf in case_files),
    ]
    full_text = "\n".join(f.text for f in files if f.text)
    return fields, _texts([document.number_notation, document.subject], meta, full_text)


# --- case files --------------------------------------------------------------------------------


def _case_files(ids):
    return (
        CaseFile.objects.filter(pk__in=ids)
        .select_related("agency", "rights")
        .prefetch_related(Prefetch("entries", queryset=CaseFileEntry.objects.select_related("document")))
    )


def _case_file_entry(case_file):
    fields = {
        "agency_id": case_file.agency_id,
        "unit_id": case_file.unit_id,
        "year": case_file.year,
        "doc_type": "",
        "register": "",
        "retention": case_file.retention_kind,
        "rights": case_file.rights.code,
        "status": case_file.status,
        "date": case_file.start_date,
        "number": _leading_number(case_file.file_notation),
        "public": case_file.is_public,
        "heading": case_file.title[:500],
        "label": case_file.file_notation[:60],
        "notation_key": notation_key(case_file.file_notation)[:60],
    }
    documents = [entry.document for entry in case_file.entries.all()]
    meta = [
        case_file.file_code, case_file.creator_name, case_file.description, case_file.language,
        _date(case_file.start_date), _date(case_file.end_date), case_file.retention_label, case_file.rights.name,
        *(f"{d.number_notation} {d.subject}" for d in documents),
    ]
    return fields, _texts([case_file.file_notation, case_file.title], meta)


LOADERS = {DOCUMENT: (_documents, _document_entry), CASE_FILE: (_case_files, _case_file_entry)}


# --- refresh -----------------------------------------------------------------------------------


def expand(refs):
    """The document and case-file ids a list of refs touches."""
    ids = {DOCUMENT: set(), CASE_FILE: set()}
    trees, regimes = set(), set()
    for kind, pk in refs:
        if kind == DOCUMENT:
            ids[DOCUMENT].add(int(pk))
        elif kind == CASE_FILE:
            ids[CASE_FILE].add(int(pk))
        elif kind == "casefile_tree":
            trees.add(int(pk))
        elif kind == "regime":
            regimes.add(int(pk))
        else:
            raise ValueError(f"unknown search ref kind: {kind}")
    if regimes:
        trees.update(CaseFile.objects.filter(rights_id__in=regimes).values_list("pk", flat=True))
    if trees:
        ids[CASE_FILE].update(trees)
        ids[DOCUMENT].update(CaseFileEntry.objects.filter(case_file_id__in=trees).values_list("document_id", flat=True))
    if ids[DOCUMENT]:
        # A case file's text names its documents.
        ids[CASE_FILE].update(
            CaseFileEntry.objects.filter(document_id__in=ids[DOCUMENT]).values_list("case_file_id", flat=True))
    return ids


def refresh(refs, engine=None):
    """Bring the entries and the index in line with the records named by refs."""
    engine = engine or get_engine()
    counts = {"indexed": 0, "deleted": 0}
    for kind, ids in expand(refs).items():
        ids = sorted(ids)
        for start in range(0, len(ids), BATCH):
            indexed, deleted = refresh_batch(kind, ids[start:start + BATCH], engine)
            counts["indexed"] += indexed
            counts["deleted"] += deleted
    return counts


@transaction.atomic
def refresh_batch(kind, ids, engine, add=True):
    """Rebuild the entries of these records; those whose record is gone leave the entries and the
    index. With add=False the rebuilt entries are returned for the caller to index (search.admin
    rebuild)."""
    load, build = LOADERS[kind]
    entries = build_entries(kind, load(ids))
    missing = SearchEntry.objects.filter(kind=kind, object_id__in=ids).exclude(
        object_id__in=[e.object_id for e in entries])
    gone = list(missing.values_list("pk", flat=True))
    engine.delete_ids(gone)
    missing.delete()
    if add and entries:
        engine.add(entries)
    return (len(entries), len(gone)) if add else entries


def build_entries(kind, records):
    """Save the entries of these records (creating or updating rows) and return them, texts attached."""
    entries = []
    for record in records:
        fields, texts = LOADERS[kind][1](record)
        entry = SearchEntry(kind=kind, object_id=record.pk, **fields)
        entry._texts = texts
        entries.append(entry)
    SearchEntry.objects.bulk_create(entries, update_conflicts=True, unique_fields=["kind", "object_id"],
                                    update_fields=ENTRY_FIELDS)
    ids = dict(SearchEntry.objects.filter(kind=kind, object_id__in=[e.object_id for e in entries])
               .values_list("object_id", "pk"))
    for entry in entries:
        entry.pk = ids[entry.object_id]
    return entries


def texts_for(entry):
    """The text values of one entry, read from its record (modelsearch's own rebuild uses this)."""
    load, build = LOADERS[entry.kind]
    record = load([entry.object_id]).first()
    if record is None:
        return defaultdict(str)
    return build(record)[1]
