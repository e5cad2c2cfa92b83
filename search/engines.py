"""The two ways hoso runs a full-text query over SearchEntry.

* ``Fts5Engine`` — the embedded default on SQLite: hoso's own FTS5 table
  (search_fts, rowid = SearchEntry.id, BM25 with column weights). modelsearch's
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
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.query import PlainText

from . import query as query_parser
from . import tags, vietnamese
from .models import SearchEntry

ELASTIC = ("elasticsearch", "opensearch")


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
    return total, {name: OrderedDict(c.most_common()) for name, c in zip(fields, counters)}


class Fts5Engine:
    name = "sqlite-fts5"
    table = "search_fts"
    # bm25 weights of the columns title, body, exact, suggest, tags.
    WEIGHTS = "10.0, 1.0, 4.0, 0.0, 0.0"

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

    def refresh(self):
        """Writes are visible at commit."""

    def optimize(self):
        """Merge the FTS5 index into one segment (after a bulk load or rebuild: faster queries)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('optimize')")

    def _matching(self, expression, queryset, narrow, score=False):
        narrowing = tags.match(narrow or ())
        if narrowing:
            expression = f"({expression}) AND {narrowing}"
        select = {"score": f"bm25({self.table}, {self.WEIGHTS})"} if score else None
        return queryset.extra(
            select=select, tables=[self.table],
            where=[f"{self.table}.rowid = {SearchEntry._meta.db_table}.id", f"{self.table} MATCH %s"],
            params=[expression],
        )

    def search(self, query, queryset, order, offset, limit, narrow=None):
        matching = self._matching(query_parser.to_fts5(query), queryset, narrow, score=True)
        ordering = ["score", "-id"] if order is None else [order, "-id"]
        entries = list(matching.order_by(*ordering)[offset:offset + limit])
        for entry in entries:
            entry.score = -entry.score  # bm25: lower is better
        return entries

    def count_and_facets(self, query, queryset, fields, narrow=None):
        return count_and_facets(self._matching(query_parser.to_fts5(query), queryset, narrow), fields)

    def suggest(self, text, queryset, limit, narrow=None):
        expression = query_parser.prefix_fts5(text)
        if not expression:
            return []
        return list(self._matching(expression, queryset, narrow, score=True).order_by("score", "-id")[:limit])

    def rebuild(self, batches):
        """Entries are rewritten in place, a batch per transaction: searches keep working while it
        runs. The index is merged at the end."""
        for entries in batches:
            with transaction.atomic():
                self.add(entries)
        self.optimize()


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
        """Elasticsearch/OpenSearch: create the index with modelsearch's mapping before the first write
        (a write to a missing index would create one with a guessed mapping)."""
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
            return self._elastic_ids()
        from django.contrib.contenttypes.models import ContentType

        index_entry = get_app_config().get_model("IndexEntry")
        rows = index_entry.objects.filter(content_type=ContentType.objects.get_for_model(SearchEntry))
        return {int(pk) for pk in rows.values_list("object_id", flat=True)}

    def _elastic_ids(self):
        index = self.index()
        if not index.exists():
            return set()
        ids, body = set(), {"query": {"match_all": {}}, "_source": False, "stored_fields": ["pk"], "sort": ["_doc"]}
        page = self.backend.es.search(index=index.name, body=body, scroll="2m", size=5000)
        try:
            while page["hits"]["hits"]:
                ids.update(int(hit["_id"]) for hit in page["hits"]["hits"])
                page = self.backend.es.scroll(scroll_id=page["_scroll_id"], scroll="2m")
        finally:
            self.backend.es.clear_scroll(scroll_id=page["_scroll_id"])
        return ids

    def _results(self, query, queryset, order=None):
        if order is not None:
            return self.backend.search(query_parser.to_modelsearch(query), queryset.order_by(order, "-id"),
                                       order_by_relevance=False)
        return self.backend.search(query_parser.to_modelsearch(query), queryset)

    def search(self, query, queryset, order, offset, limit, narrow=None):
        return list(self._results(query, queryset, order).annotate_score("score")[offset:offset + limit])

    def count_and_facets(self, query, queryset, fields, narrow=None):
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
            for entries in batches:
                self.add(entries)
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
