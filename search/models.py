"""The search index's own records: one SearchEntry per document or case file.

The records (casefiles) know no index. The search app keeps a denormalised
copy of what search needs — filters, the access flags, a display heading —
and hands modelsearch folded and exact text computed from the records at
indexing time (search.indexing). Only this app writes these rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index


class SearchEntry(index.Indexed, models.Model):
    """What the index knows of one document or case file."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        CASE_FILE = "casefile", _("Case file")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("record id"))
    # Plain ids, not foreign keys: this is a copy that the indexer rebuilds from the records.
    agency_id = models.BigIntegerField(_("agency"), db_index=True)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    doc_type = models.CharField(_("document type"), max_length=100, blank=True)
    register = models.CharField(_("register"), max_length=10, blank=True)  # received / issued / internal
    retention = models.CharField(_("retention"), max_length=12, blank=True)
    rights = models.CharField(_("access regime"), max_length=10, blank=True)
    status = models.CharField(_("case-file status"), max_length=10, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # Open to anonymous search: in a case file the archive accepted, under a public access regime.
    public = models.BooleanField(_("public"), default=False)
    heading = models.CharField(_("subject or title"), max_length=500)
    label = models.CharField(_("number and notation"), max_length=60, blank=True)
    # Folded number/notation ("125/qd-ubnd"), for exact lookups that put that record first.
    notation_key = models.CharField(max_length=60, blank=True, db_index=True)
    # Digest of the fields and texts the entry was built from (search.indexing.fingerprint): a row or
    # an index document whose fingerprint is not the records' is stale. Empty: not known yet (stale).
    fingerprint = models.CharField(max_length=32, blank=True)

    # Indexed by search.indexing in batches on commit, never by modelsearch's per-save handlers.
    search_auto_update = False

    search_fields = [
        # "title" is the one field the SQLite backend keeps in a column of its own.
        # title and exact share a boost: on Elasticsearch/OpenSearch fields of one boost are searched
        # together, so the exact-marks bonus adds to a title match instead of losing to it.
        index.SearchField("title", boost=3),
        index.SearchField("body"),
        index.SearchField("exact", boost=3),
        index.AutocompleteField("suggest"),
        index.FilterField("id"),
        index.FilterField("kind"),
        index.FilterField("agency_id"),
        index.FilterField("unit_id"),
        index.FilterField("year"),
        index.FilterField("doc_type"),
        index.FilterField("register"),
        index.FilterField("retention"),
        index.FilterField("rights"),
        index.FilterField("status"),
        index.FilterField("date"),
        index.FilterField("number"),
        index.FilterField("public"),
        index.FilterField("notation_key"),
        # Elasticsearch/OpenSearch: the document carries the fingerprint it was written with, to be
        # compared with its row's (search.engines.ModelsearchEngine.indexed_fingerprints).
        index.FilterField("fingerprint"),
    ]

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")]
        # Sorting a broad search by date or number walks these instead of sorting every hit.
        indexes = [models.Index(fields=["date"], name="search_entry_date"),
                   models.Index(fields=["number"], name="search_entry_number")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.heading}"

    @classmethod
    def get_indexed_objects(cls):
        """On SQLite the entries live in search's own FTS5 table: modelsearch's index (Wagtail's
        update_index) has none of them."""
        from .engines import Fts5Engine, get_engine

        return cls.objects.none() if isinstance(get_engine(), Fts5Engine) else super().get_indexed_objects()

    # The text values are computed from the records by search.indexing and attached before
    # indexing; an entry indexed on its own (modelsearch's rebuild command) computes them here.
    def _text(self, name):
        if not hasattr(self, "_texts"):
            from .indexing import texts_for

            self._texts = texts_for(self)
        return self._texts[name]

    @property
    def title(self):
        return self._text("title")

    @property
    def body(self):
        return self._text("body")

    @property
    def exact(self):
        return self._text("exact")

    @property
    def suggest(self):
        return self._text("suggest")

    @property
    def is_document(self):
        return self.kind == self.Kind.DOCUMENT


class SavedQuery(models.Model):
    """A search a person kept: its words and filters, to run again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=255, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]

    def __str__(self):
        return self.name
