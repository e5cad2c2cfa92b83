"""Keeping the index in step with the records, in batches.

A *ref* names what changed: ``["document", id]``, ``["casefile", id]`` (the case
file's own entry), ``["casefile_tree", id]`` (the case file and every document
filed in it: their filters and public flag come from it) or ``["regime", id]``
(every case file under an access regime, and their documents). ``refresh``
re-reads the records: existing ones are (re)indexed, missing ones leave the
index. Running it twice changes nothing.
"""

import hashlib
import json
from collections import defaultdict

from django.db import connection, transaction

from casefiles.models import CaseFile, CaseFileEntry, Document, DocumentFile, Recipient

from . import vietnamese
from .engines import get_engine
from .query import notation_key
from .models import SearchEntry

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


def _grouped(rows):
    groups = defaultdict(list)
    for key, *values in rows:
        groups[key].append(values[0] if len(values) == 1 else values)
    return groups


def _documents(ids):
    """Documents with what their entries need, in a few queries (prefetch_related's per-object
    querysets cost more than the indexing itself)."""
    documents = list(Document.objects.filter(pk__in=ids).select_related("agency"))
    ids = [d.pk for d in documents]
    files = _grouped(DocumentFile.objects.filter(document_id__in=ids).order_by("document_id", "ordinal", "id")
                     .values_list("document_id", "original_name", "text"))
    recipients = _grouped(Recipient.objects.filter(document_id__in=ids).values_list("document_id", "organ_name"))
    filed = CaseFileEntry.objects.filter(document_id__in=ids).select_related("case_file__rights", "case_file__agency")
    case_files = _grouped((entry.document_id, entry.case_file) for entry in filed.order_by("case_file_id"))
    for document in documents:
        document.search_parts = (files[document.pk], recipients[document.pk], case_files[document.pk])
    return documents


def _document_entry(document):
    files, recipients, case_files = document.search_parts
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
    meta = [
        document.type_name, document.organ_name, document.signer_position, document.signer_full_name,
        _date(document.issued_date), document.description, document.to_places, document.identifier,
        str(document.arrival_number or ""), _date(document.due_date),
        *recipients,
        *(name for name, _text in files),
        *(f"{cf.file_code} {cf.title}" for cf in case_files),
    ]
    full_text = "\n".join(text for _name, text in files if text)
    return fields, _texts([document.number_notation, document.subject], meta, full_text)


# --- case files --------------------------------------------------------------------------------


def _case_files(ids):
    case_files = list(CaseFile.objects.filter(pk__in=ids).select_related("agency", "rights"))
    documents = _grouped(CaseFileEntry.objects.filter(case_file_id__in=[cf.pk for cf in case_files])
                         .order_by("case_file_id", "ordinal")
                         .values_list("case_file_id", "document__code_number", "document__code_notation",
                                      "document__subject"))
    for case_file in case_files:
        case_file.search_parts = documents[case_file.pk]
    return case_files


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
    documents = case_file.search_parts
    meta = [
        case_file.file_code, case_file.creator_name, case_file.description, case_file.language,
        _date(case_file.start_date), _date(case_file.end_date), case_file.retention_label, case_file.rights.name,
        *(f"{number}/{notation} {subject}" for number, notation, subject in documents),
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


def entries_for(kind, records):
    """The entries of these records, texts and fingerprint attached, in the records' order, unsaved."""
    entries = []
    for record in sorted(records, key=lambda record: record.pk):
        fields, texts = LOADERS[kind][1](record)
        entry = SearchEntry(kind=kind, object_id=record.pk, fingerprint=fingerprint(fields, texts), **fields)
        entry._texts = texts
        entries.append(entry)
    return entries


def fingerprint(fields, texts):
    """A digest of what one entry holds (its fields and texts): the row, or the index document, whose
    fingerprint differs from the records' is stale (search.maintenance.check)."""
    content = json.dumps([[fields[name] for name in ENTRY_FIELDS], [texts[name] for name in sorted(texts)]],
                         default=str, ensure_ascii=False)
    return hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


def build_entries(kind, records):
    """Save the entries of these records (creating or updating rows) and return them, texts attached.
    New entries take ids in the records' order: the newest records are the newest entries, which
    a broad search ranks (search.engines.newest)."""
    entries = entries_for(kind, records)
    _upsert(entries)
    ids = dict(SearchEntry.objects.filter(kind=kind, object_id__in=[e.object_id for e in entries])
               .values_list("object_id", "pk"))
    for entry in entries:
        entry.pk = ids[entry.object_id]
    return entries


def _upsert(entries):
    """INSERT ... ON CONFLICT DO UPDATE in one executemany (SQLite and PostgreSQL): bulk_create's
    per-value SQL compiling cost more than the rest of indexing."""
    columns = ["kind", "object_id", *ENTRY_FIELDS, "fingerprint"]
    names = [SearchEntry._meta.get_field(c).column for c in columns]
    updates = ", ".join(f"{n} = excluded.{n}" for n in names[2:])
    sql = (f"INSERT INTO {SearchEntry._meta.db_table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
           f"ON CONFLICT (kind, object_id) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(e, c) for c in columns] for e in entries])


def texts_for(entry):
    """The text values of one entry, read from its record (modelsearch's own rebuild uses this)."""
    load, build = LOADERS[entry.kind]
    records = load([entry.object_id])
    return build(records[0])[1] if records else defaultdict(str)
