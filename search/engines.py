"""The two ways hoso runs a full-text query over SearchEntry.

* ``Fts5Engine`` — the embedded default on SQLite: hoso's own FTS5 table
  (search_fts, rowid = SearchEntry.id) and a score of its own. modelsearch's
  SQLite backend scores each hit in a correlated subquery: a ranked page of a
  common word took minutes at 20,000 records (bench/README.md), so hoso does not
  use it for records.
* ``ModelsearchEngine`` — everything else through modelsearch: PostgreSQL
  full-text (database backend, "simple" config), Elasticsearch 8/9 and
  OpenSearch 2/3.

Both take an already scoped and filtered SearchEntry queryset (search.services
builds it): an engine can only narrow what the caller may see.
"""

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from modelsearch import index as index_fields
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.query import PlainText

from . import query as query_parser
from . import tags, vietnamese
from .models import SearchEntry

ELASTIC = ("elasticsearch", "opensearch")
RANGES = {key: {f"{key}__{op}" for op in ("gt", "gte", "lt", "lte")} for key in tags.BUCKET_PREFIXES}


@dataclass
class Found:
    """A page of entries, with the count and facets of all the hits. exact=False: there are more
    hits than settings.SEARCH_EXACT_LIMIT; the count is that limit (a lower bound) and the facets
    are those of the newest that many hits."""

    entries: list
    total: int
    facets: dict = field(default_factory=dict)
    exact: bool = True


def _facets(counters, fields):
    return {name: OrderedDict(counter.most_common()) for name, counter in zip(fields, counters)}


def count_and_facets(entries, fields):
    """The count and every facet of a queryset of entries from one GROUP BY over all the facet
    columns (one pass over the rows), summed per column here."""
    if not fields:
        return entries.count(), {}
    counters = [Counter() for _ in fields]
    total = 0
    for *values, n in entries.values_list(*fields).annotate(n=Count("id")).order_by():
        total += n
        for counter, value in zip(counters, values):
            counter[value] += n
    return total, _facets(counters, fields)


def newest(ordered, fields, extra=()):
    """The count and facets of a queryset's hits read from its newest ones (the queryset orders
    them newest first): exact when there are at most settings.SEARCH_EXACT_LIMIT hits, else over
    that many, like Elasticsearch's track_total_hits. Returns (rows (id, *extra) newest first,
    count, facets, exact)."""
    limit = settings.SEARCH_EXACT_LIMIT
    rows = list(ordered.values_list("id", *extra, *fields)[:limit + 1])
    exact = len(rows) <= limit
    rows, start = rows[:limit], 1 + len(extra)
    columns = list(zip(*rows)) or [()] * (start + len(fields))
    return list(zip(*columns[:start])), len(rows), _facets(map(Counter, columns[start:]), fields), exact


def _in_order(queryset, ids):
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _sorted(rows, order):
    """Ids of (id, value) rows, newest first, in the SQL order of `order` on SQLite: NULL is the
    smallest value; equal values newest first."""
    descending = order.startswith("-")
    present = sorted((row for row in rows if row[1] is not None), key=lambda row: row[1], reverse=descending)
    unset = [row for row in rows if row[1] is None]
    return [pk for pk, _value in (present + unset if descending else unset + present)]


class Fts5Engine:
    """Every search reads the newest hits first (FTS5 walks its doclists in rowid order and stops):
    up to settings.SEARCH_EXACT_LIMIT of them give the count, the facets and the relevance ranking,
    so a broad query costs no more than that many hits. Sorting by date or number reads all the
    hits, runs of buckets (tags.bucket) at a time. Relevance is hoso's own score, not FTS5's bm25:
    bm25 counts every query word's whole doclist on each query (45–73 ms for a single scored row
    at 1,000,000 records, bench/README.md)."""

    name = "sqlite-fts5"
    table = "search_fts"
    # Score of a candidate: 1, plus these for each query term in its title, and for each word typed
    # with marks found with those marks. Equal scores: newest first.
    TITLE_WEIGHT, EXACT_WEIGHT = 10, 4
    DENSE = 20  # candidates fill their rowid range: at least one in this many rowids
    EVERY = tags.match([("kind__in", SearchEntry.Kind.values)])  # every entry has its kind's tag

    def add(self, entries):
        rows = [(e.pk, e.title, e.body, e.exact, e.suggest, tags.for_entry(e)) for e in entries]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(row[0],) for row in rows])
            cursor.executemany(f"INSERT INTO {self.table} (rowid, title, body, exact, suggest, tags) "
                               "VALUES (%s, %s, %s, %s, %s, %s)", rows)

    def delete_ids(self, ids):
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])

    def indexed_ids(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {self.table}")
            return {row[0] for row in cursor.fetchall()}

    def indexed_fingerprints(self):
        """None: an entry's row and its FTS5 row are written in one transaction (indexing.refresh_batch,
        add_in_place), so the row's fingerprint is the index's."""
        return None

    def refresh(self):
        """Writes are visible at commit."""

    def optimize(self):
        """Merge the FTS5 index into one segment (after a bulk load or rebuild: faster queries)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('optimize')")

    @classmethod
    def _narrowed(cls, expression, narrow, among=()):
        """The expression (every entry when empty) ANDed with narrow's equality conditions and any
        of the tags `among`."""
        among = "tags : (" + " OR ".join(f'"{tag}"' for tag in among) + ")" if among else ""
        parts = [f"({expression})" if expression else "", tags.match(narrow or ()), among]
        return " AND ".join(filter(None, parts)) or cls.EVERY

    def _matching(self, expression, queryset, narrow, among=()):
        """The entries of the queryset matching the expression (narrowed), newest first."""
        return queryset.extra(
            tables=[self.table],
            where=[f"{self.table}.rowid = {SearchEntry._meta.db_table}.id", f"{self.table} MATCH %s"],
            params=[self._narrowed(expression, narrow, among)], order_by=[f"-{self.table}.rowid"],
        )

    def find(self, query, queryset, order, offset, limit, fields, narrow=None, exclude=()):
        """A page of the queryset's entries matching the query, by relevance (order None) or by
        `order`, with the count and facets of the hits. `exclude`: ids left out of the page (the
        caller shows them first) but counted. No words: every entry of the queryset matches."""
        expression = query_parser.to_fts5(query)
        key = order.lstrip("-") if order else None
        rows, total, facets, exact = newest(self._matching(expression, queryset, narrow), fields,
                                            [key] if key else [])
        if order is None:
            candidates = [pk for pk, in rows if pk not in exclude]
            ranked = self._ranked(query, self._narrowed(expression, narrow), candidates)
            ranked = dict(ranked[offset:offset + limit])
            entries = _in_order(queryset, list(ranked))
            for entry in entries:
                entry.score = ranked[entry.pk]
        else:
            wanted = offset + limit + len(exclude)
            ids = _sorted(rows, order) if exact else self._walk(expression, queryset, narrow, order, wanted)
            entries = _in_order(queryset, [pk for pk in ids if pk not in exclude][offset:offset + limit])
        return Found(entries, total, facets, exact)

    def _ranked(self, query, expression, ids):
        """(id, score) of candidate ids (newest first, matching the expression), best first. Each
        term is looked up in the candidates' rowid range: alone when the candidates fill the range
        (FTS5 reads the term's entries there), else ANDed with the expression (FTS5 steps through
        the hits and seeks the term): the cost follows the candidates, not the term's frequency."""
        if not ids:
            return []
        sparse = max(ids) - min(ids) + 1 > self.DENSE * len(ids)
        within = f"({expression}) AND " if sparse else ""
        parts = {f"{within}title : {query_parser.fts_string(term)}": self.TITLE_WEIGHT
                 for clause in query.clauses for term in [*clause.words, *clause.phrases]}
        parts.update({f"{within}exact : {query_parser.fts_string(word)}": self.EXACT_WEIGHT
                      for clause in query.clauses for word in clause.exact})
        if not parts:
            return [(pk, 1) for pk in ids]
        select = " UNION ALL ".join(
            f"SELECT rowid AS id, {weight} AS weight FROM {self.table} WHERE {self.table} MATCH %s "
            "AND rowid BETWEEN %s AND %s" for weight in parts.values())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, SUM(weight) FROM ({select}) GROUP BY id",
                           [param for part in parts for param in (part, min(ids), max(ids))])
            scores = dict.fromkeys(ids, 0) | dict(cursor.fetchall())
        ranked = sorted(ids, key=scores.__getitem__, reverse=True)  # stable: newest first among equals
        return [(pk, 1 + scores[pk]) for pk in ranked]

    def _walk(self, expression, queryset, narrow, order, wanted):
        """Ids of the first `wanted` hits in `order` (or all, when fewer), a run of sort buckets at
        a time."""
        ranges = RANGES[order.lstrip("-")]
        ids, runs = [], _runs(order, {lookup: value for lookup, value in narrow or () if lookup in ranges})
        found = None
        while len(ids) < wanted and (run := runs.send(found)) is not None:
            hits = self._matching(expression, queryset, narrow, run).order_by(order, "-id")
            found = list(hits.values_list("id", flat=True)[:wanted - len(ids)])
            ids += found
        return ids

    def suggest(self, text, queryset, limit, narrow=None):
        expression = query_parser.prefix_fts5(text)
        if not expression:
            return []
        return list(self._matching(expression, queryset, narrow)[:limit])

    def rebuild(self, batches):
        """Entries are rewritten in place, a batch per transaction: searches keep working while it
        runs. The index is merged at the end."""
        add_in_place(self, batches)
        self.optimize()


def add_in_place(engine, batches):
    """Database engines: each batch's rows (written as the batch is read) and its index rows commit
    in one transaction, as in indexing.refresh_batch: the index never lags behind the rows."""
    batches = iter(batches)
    while True:
        with transaction.atomic():
            entries = next(batches, None)
            if entries is None:
                return
            engine.add(entries)


def _runs(order, within, longest=64):
    """A generator of runs of sort-bucket tags in `order` (SQLite's: NULL smallest), then None.
    Send it what the last run found: after an empty run the next one is twice as long (up to
    `longest`), after hits it is one bucket again, so neither empty stretches nor dense ones cost
    many queries or rows. A run starts at the next value the entries' index on the sort column
    holds (within the range lookups `within`), so an empty stretch of the whole index costs one
    lookup."""
    key = order.lstrip("-")
    descending = order != key
    found = None
    if not descending and not within:
        found = yield [tags.bucket(key, None)]
    values = SearchEntry.objects.filter(**{f"{key}__isnull": False}, **within).order_by(order)
    values = values.values_list(key, flat=True)
    following, length = values, 1
    while (value := following.first()) is not None:
        run = []
        while value is not None and len(run) < length:
            run.append(tags.bucket(key, value))
            low, high = tags.bucket_bounds(key, value)
            value = tags.neighbour(key, value, descending)
        found = yield run
        following = values.filter(**({f"{key}__lt": low} if descending else {f"{key}__gte": high}))
        length = 1 if found else min(2 * length, longest)
    if descending and not within:
        yield [tags.bucket(key, None)]
    yield None


class ModelsearchEngine:
    def __init__(self, backend=None):
        self.backend = backend or get_search_backend()
        self.name = f"modelsearch:{type(self.backend).__module__.rsplit('.', 1)[-1]}"

    @property
    def is_elastic(self):
        return settings.SEARCH_BACKEND in ELASTIC

    def add(self, entries):
        self._ensure_index()
        self.backend.add_bulk(SearchEntry, entries)

    def reset_elastic(self):
        """Elasticsearch/OpenSearch: an empty index under the name (after a rebuild the name is an
        alias: the index behind it goes)."""
        index = self.index()
        for old in index.aliased_indices() if index.is_alias() else [index]:
            old.delete()
        index.put()
        index.add_model(SearchEntry)
        self._index_ready = True

    def _ensure_index(self):
        """Elasticsearch/OpenSearch: create the index, or bring its mapping up to date, with modelsearch's
        mapping before the first write (a write to a missing index would create one with a guessed
        mapping, and a field the index's mapping lacks, e.g. fingerprint in an index made before it,
        would get a guessed type)."""
        if self.is_elastic and not getattr(self, "_index_ready", False):
            index = self.index()
            if not index.exists():
                index.put()
            index.add_model(SearchEntry)
            self._index_ready = True

    def delete_ids(self, ids):
        for pk in ids:
            self.backend.delete(SearchEntry(pk=pk))

    def refresh(self):
        if self.is_elastic:
            self.index().refresh()

    def optimize(self):
        """Nothing to do: Elasticsearch/OpenSearch and PostgreSQL merge on their own."""

    def index(self):
        return self.backend.get_index_for_model(SearchEntry)

    def indexed_ids(self):
        if self.is_elastic:
            return set(self.indexed_fingerprints())
        from django.contrib.contenttypes.models import ContentType

        index_entry = get_app_config().get_model("IndexEntry")
        rows = index_entry.objects.filter(content_type=ContentType.objects.get_for_model(SearchEntry))
        return {int(pk) for pk in rows.values_list("object_id", flat=True)}

    def indexed_fingerprints(self):
        """Elasticsearch/OpenSearch: {entry id: the fingerprint its document was written with} ("" for a
        document without one). The document is written after its row commits and can lag behind it.
        None on PostgreSQL: modelsearch's database backend writes the index rows in the entries'
        transaction (indexing.refresh_batch, add_in_place), so the row's fingerprint is the index's."""
        if not self.is_elastic:
            return None
        index = self.index()
        if not index.exists():
            return {}
        column = self.backend.mapping_class(SearchEntry).get_field_column_name(index_fields.FilterField("fingerprint"))
        body = {"query": {"match_all": {}}, "_source": False, "docvalue_fields": [column], "sort": ["_doc"]}
        prints = {}
        page = self.backend.es.search(index=index.name, body=body, scroll="2m", size=5000)
        try:
            while page["hits"]["hits"]:
                prints.update((int(hit["_id"]), hit.get("fields", {}).get(column, [""])[0])
                              for hit in page["hits"]["hits"])
                page = self.backend.es.scroll(scroll_id=page["_scroll_id"], scroll="2m")
        finally:
            self.backend.es.clear_scroll(scroll_id=page["_scroll_id"])
        return prints

    def _results(self, query, queryset, order=None):
        if order is not None:
            return self.backend.search(query_parser.to_modelsearch(query), queryset.order_by(order, "-id"),
                                       order_by_relevance=False)
        return self.backend.search(query_parser.to_modelsearch(query), queryset)

    def find(self, query, queryset, order, offset, limit, fields, narrow=None, exclude=()):
        """As Fts5Engine.find; the count and facets are always exact."""
        if query.match_all:
            total, facets = count_and_facets(queryset, fields)
            entries = list(queryset.order_by(order, "-id")[offset:offset + limit]) if limit else []
            return Found(entries, total, facets)
        total, facets = self._count_and_facets(query, queryset, fields)
        rest = queryset.exclude(pk__in=exclude) if exclude else queryset
        results = self._results(query, rest, order).annotate_score("score")
        entries = list(results[offset:offset + limit]) if limit else []
        return Found(entries, total, facets)

    def _count_and_facets(self, query, queryset, fields):
        results = self._results(query, queryset)
        if self.is_elastic:
            return results.count(), {name: results.facet(name) for name in fields}
        # Database backend: modelsearch's facet() ranks and scans the hits once per field; the hits'
        # queryset (as facet() builds it) grouped by every field at once is one scan.
        compiler = results.query_compiler
        hits = compiler.search(compiler.get_config(self.backend), None, None, backend=self.backend)
        return count_and_facets(hits.order_by(), fields)

    def suggest(self, text, queryset, limit, narrow=None):
        words = vietnamese.folded(text or "")[:query_parser.MAX_LENGTH].split()[:query_parser.MAX_TERMS]
        if not words:
            return []
        return list(self.backend.autocomplete(PlainText(" ".join(words), operator="and"), queryset)[:limit])

    def rebuild(self, batches):
        """Elasticsearch/OpenSearch: fill a new index, then swap the alias to it (searches keep
        using the old one until then). Database backend: entries are rewritten in place."""
        if not self.is_elastic:
            add_in_place(self, batches)
            return
        rebuilder = self.backend.rebuilder_class(self.index())
        index = rebuilder.start()
        index.add_model(SearchEntry)
        for entries in batches:
            index.add_items(SearchEntry, entries)
        rebuilder.finish()


@cache
def _engine_for(backend, vendor):
    if backend == "database" and vendor == "sqlite":
        return Fts5Engine()
    return ModelsearchEngine()


def get_engine():
    return _engine_for(settings.SEARCH_BACKEND, connection.vendor)
