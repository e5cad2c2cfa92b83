"""Searching records: who may see what, filters, facets, snippets, sorting and pages.

Every search starts from ``scope_conditions``: the anonymous public sees only entries
flagged public (in a case file the archive accepted, under a public access
regime); staff see their own agency's records of the kinds their role may
view; the operator sees all. Filters, facets, counts, sorting, notation pins,
snippets and suggestions are all computed inside that scope.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Substr

from accounts.errors import HosoError
from accounts.models import Agency, Unit
from casefiles.models import AccessRegime, CaseFile, Document, DocumentFile
from retention.models import RetentionKind

from . import highlight
from .engines import get_engine
from .forms import SORTS, SearchForm
from .models import SearchEntry
from .query import parse

DOCUMENT, CASE_FILE = SearchEntry.Kind.DOCUMENT, SearchEntry.Kind.CASE_FILE
VIEW_PERMISSIONS = {DOCUMENT: "casefiles.view_document", CASE_FILE: "casefiles.view_casefile"}
FACETS = ["kind", "year", "doc_type", "register", "retention", "rights", "status", "unit_id", "agency_id"]
MAX_PINNED = 10
EXPORT_LIMIT = 5000


@dataclass
class Results:
    query: object
    total: int
    page: int
    page_size: int
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    engine: str = ""
    exact: bool = True  # False: total is a lower bound and facets count the newest hits (engines.Found)

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))

    @property
    def relation(self):
        """Elasticsearch's words: the count is "eq" (exact) or "gte" (at least)."""
        return "eq" if self.exact else "gte"

    def as_dict(self):
        return {"count": self.total, "count_relation": self.relation, "page": self.page,
                "page_size": self.page_size, "pages": self.pages, "engine": self.engine, "results": self.hits,
                "facets": self.facets}


def read_params(data):
    """Validated search parameters from a query dict; HosoError (invalid) otherwise."""
    form = SearchForm(data)
    if not form.is_valid():
        raise HosoError("Tham số tìm kiếm không hợp lệ.", code="invalid", detail=form.errors.get_json_data())
    return form.cleaned_data


def scope_conditions(user, public=False):
    """The lookups limiting entries to what this caller may see at all."""
    if public or user is None or not user.is_authenticated:
        return {"public": True}
    if user.is_superuser:
        return {}
    kinds = [kind for kind, perm in VIEW_PERMISSIONS.items() if user.has_perm(perm)]
    if user.agency_id is None or not kinds:
        raise HosoError("Bạn không có quyền tra cứu hồ sơ, văn bản.", code="permission_denied", status=403)
    # Every kind: no condition (it would only make each query test each entry's kind).
    return {"agency_id": user.agency_id, **({"kind__in": kinds} if len(kinds) < len(VIEW_PERMISSIONS) else {})}


def _agency_id(code):
    agency = Agency.objects.filter(Q(identifier=code) | Q(abbreviation=code.lower())).only("pk").first()
    return agency.pk if agency else -1


FILTER_LOOKUPS = {
    "kind": "kind", "unit": "unit_id", "year": "year", "doc_type": "doc_type", "register": "register",
    "retention": "retention", "rights": "rights", "status": "status", "date_from": "date__gte",
    "date_to": "date__lte",
}


def filter_conditions(params):
    conditions = {lookup: params[name] for name, lookup in FILTER_LOOKUPS.items()
                  if params.get(name) not in (None, "")}
    if params.get("agency"):
        conditions["agency_id"] = _agency_id(params["agency"])
    return conditions


def selection(user, params, public=False):
    """The entries a search may return, and the lookups that select them (engines that can use
    them to narrow a query early do; the queryset applies them all regardless)."""
    scoped = scope_conditions(user, public)
    filters = filter_conditions(params)
    entries = SearchEntry.objects.filter(**scoped).filter(**filters)
    # Pairs, not a dict: scope and filters may both set a field (agency), and both must hold.
    return entries, [*scoped.items(), *filters.items()]


def search(user, params, *, public=False, with_facets=True):
    """Run a search for this caller. params: SearchForm's cleaned data (see read_params)."""
    entries, narrow = selection(user, params, public)
    query = parse(params.get("q"))
    order = SORTS[params["sort"]]
    page, size = params["page"], params["page_size"]
    offset = (page - 1) * size
    facet_fields = [f for f in FACETS if f != "agency_id" or public or (user and user.is_superuser)]
    engine = get_engine()
    pinned = _pinned(engine, query, entries, narrow) if order is None else []
    shown = pinned[offset:offset + size]
    rest = engine.find(query, entries, order or ("-date" if query.match_all else None), max(0, offset - len(pinned)),
                       size - len(shown), facet_fields if with_facets else [], narrow, exclude={e.pk for e in pinned})
    found = shown + rest.entries
    total, facets = rest.total, rest.facets
    names = display_names(found, facets)
    return Results(query=query, total=total, page=page, page_size=size, engine=engine.name, exact=rest.exact,
                   hits=describe(found, query, names, public=public),
                   facets=label_facets(facets, names) if with_facets else {})


def _pinned(engine, query, entries, narrow):
    """Records whose number and notation is the one typed, that match the query: first."""
    if not query.notation_keys:
        return []
    exact = entries.filter(notation_key__in=query.notation_keys)
    return engine.find(query, exact, None, 0, MAX_PINNED, [], narrow).entries


def suggest(user, text, *, public=False, limit=10):
    """Completions of what is being typed: headings of records the caller may see."""
    scoped = scope_conditions(user, public)
    found = get_engine().suggest(text, SearchEntry.objects.filter(**scoped), limit, list(scoped.items()))
    return [{"kind": e.kind, "id": e.object_id, "number_notation": e.label, "title": e.heading} for e in found]


def export_hits(user, params, *, public=False):
    """Every hit (up to EXPORT_LIMIT) of a search, for XLSX and PDF lists."""
    rows = []
    for page in range(1, EXPORT_LIMIT // 100 + 1):
        results = search(user, {**params, "page": page, "page_size": 100}, public=public, with_facets=False)
        rows.extend(results.hits)
        if page >= results.pages:
            break
    return rows


# --- presenting hits ----------------------------------------------------------------------------

LABELS = {
    "kind": dict(SearchEntry.Kind.choices),
    "register": dict(Document.Kind.choices),
    "status": dict(CaseFile.Status.choices),
    "retention": dict(RetentionKind.choices),
}


def display_names(entries, facets):
    """Names of the agencies, units and access regimes that hits and facets show: three queries."""
    wanted = {
        "agency_id": {e.agency_id for e in entries} | set(facets.get("agency_id", ())),
        "unit_id": {e.unit_id for e in entries} | set(facets.get("unit_id", ())),
        "rights": {e.rights for e in entries} | set(facets.get("rights", ())),
    }
    sources = {"agency_id": (Agency, "pk"), "unit_id": (Unit, "pk"), "rights": (AccessRegime, "code")}
    names = {}
    for name, (model, key) in sources.items():
        ids = {i for i in wanted[name] if i not in (None, "")}
        names[name] = dict(model.objects.filter(**{f"{key}__in": ids}).values_list(key, "name")) if ids else {}
    return names


def label_facets(facets, names):
    out = {}
    for name, counts in facets.items():
        labels = LABELS.get(name) or names.get(name) or {}
        out[name] = [{"value": value, "label": str(labels.get(value, value)), "count": count}
                     for value, count in counts.items() if value not in (None, "") and count]
    return out


def describe(entries, query, names, public=False):
    """The hits as dicts: metadata, highlighted heading and snippet, file names."""
    documents = [e.object_id for e in entries if e.kind == DOCUMENT]
    case_files = [e.object_id for e in entries if e.kind == CASE_FILE]
    files = {}
    if documents:
        # Only the start of each text: a snippet is looked for there (up to 5,000,000 characters are kept).
        head = Substr("text", 1, highlight.SCAN)
        for document_id, name, text in DocumentFile.objects.filter(document_id__in=documents).order_by(
                "document_id", "ordinal", "id").values_list("document_id", "original_name", head):
            files.setdefault(document_id, []).append((name, text))
    casefile_text = {}
    if case_files:
        casefile_text = dict(CaseFile.objects.filter(pk__in=case_files).values_list("pk", "description"))
    regimes, units, agencies = names["rights"], names["unit_id"], names["agency_id"]
    terms = query.terms
    hits = []
    for entry in entries:
        own = files.get(entry.object_id, []) if entry.kind == DOCUMENT else []
        body = " ".join(text for _name, text in own if text) or casefile_text.get(entry.object_id, "")
        hit = {
            "kind": entry.kind,
            "id": entry.object_id,
            "number_notation": entry.label,
            "title": entry.heading,
            "title_html": highlight.mark(entry.heading, terms),
            "snippet": highlight.snippet(body, terms) if body else "",
            "date": entry.date.isoformat() if entry.date else None,
            "year": entry.year,
            "doc_type": entry.doc_type,
            "register": entry.register,
            "status": entry.status,
            "rights": regimes.get(entry.rights, entry.rights),
            "retention": str(LABELS["retention"].get(entry.retention, entry.retention)),
            "agency": agencies.get(entry.agency_id, ""),
            "unit": units.get(entry.unit_id, ""),
            "files": [name for name, _text in own],
            "score": round(float(getattr(entry, "score", None) or 0.0), 4),
        }
        if not public:
            path = "documents" if entry.kind == DOCUMENT else "case-files"
            hit["url"] = f"/api/v1/{path}/{entry.object_id}/"
        hits.append(hit)
    return hits
