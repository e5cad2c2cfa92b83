"""Retention schedules (thời hạn bảo quản): permanent, N years, or a conditional rule in words.

A period counts from the year the work ended (Circular 10/2022/TT-BNV):
review year = end year + N.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency


class RetentionKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent (Vĩnh viễn)")
    YEARS = "years", _("Fixed number of years")
    CONDITIONAL = "conditional", _("Conditional (needs a decision)")


class Retention(models.Model):
    """The three fields of a retention period, shared by schedule rows, plan items and case files."""

    retention_kind = models.CharField(
        _("retention"), max_length=12, choices=RetentionKind.choices, default=RetentionKind.YEARS
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention years"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    retention_condition = models.CharField(_("retention condition"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def retention_label(self):
        from .services import format_retention

        return format_retention(self.retention_kind, self.retention_years, self.retention_condition)

    def clean_retention(self):
        from .services import check_retention

        check_retention(self.retention_kind, self.retention_years, self.retention_condition)


class Schedule(models.Model):
    """A retention schedule: the common one (no agency) or an agency's own."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="retention_schedules",
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("legal source"), max_length=200, blank=True)
    # A starter schedule carrying only the confirmed rows is labelled incomplete.
    incomplete = models.BooleanField(_("incomplete"), default=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="schedule_unique_name")]

    def __str__(self):
        return f"{self.name} ({_('incomplete')})" if self.incomplete else self.name


class ScheduleRow(Retention):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField(_("code"), max_length=30, blank=True)
    group = models.CharField(_("group"), max_length=300, blank=True)
    title = models.CharField(_("category title"), max_length=500)
    note = models.TextField(_("note"), blank=True)
    ordinal = models.PositiveIntegerField(_("ordinal"), default=0)

    class Meta:
        verbose_name = _("schedule row")
        verbose_name_plural = _("schedule rows")
        ordering = ["schedule", "ordinal", "id"]

    def __str__(self):
        return f"{self.title} — {self.retention_label}"
