"""Deadlines of incoming documents: near-due and overdue lists per person, unit and agency, the
leader's dashboard (Sơn La regulation Art. 12.2.d), and daily reminders."""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.notifications import notify

from .models import Handler, Incoming

OPEN_STATES = (Incoming.State.ASSIGNED, Incoming.State.IN_PROGRESS)


def is_overdue(deadline, completed_at, today=None):
    """Overdue: past the deadline and not completed (or completed after it)."""
    if deadline is None:
        return False
    if completed_at is not None:
        return timezone.localdate(completed_at) > deadline
    return deadline < (today or timezone.localdate())


def filter_due(queryset, due, today=None):
    """Open documents due within HOSO_DEADLINE_WARNING_DAYS (near) or past their deadline (overdue)."""
    today = today or timezone.localdate()
    open_items = queryset.filter(state__in=OPEN_STATES, deadline__isnull=False)
    if due == "overdue":
        return open_items.filter(deadline__lt=today)
    if due == "near":
        return open_items.filter(deadline__gte=today,
                                 deadline__lte=today + datetime.timedelta(days=settings.HOSO_DEADLINE_WARNING_DAYS))
    return queryset.none()


def dashboard(agency, today=None):
    """Counts for the leader: per unit and per lead handler, pending, near due, overdue, done on time, late."""
    today = today or timezone.localdate()
    near_end = today + datetime.timedelta(days=settings.HOSO_DEADLINE_WARNING_DAYS)
    items = Incoming.objects.filter(document__agency=agency, lead__isnull=False)
    counts = {
        "pending": Count("id", filter=Q(state__in=OPEN_STATES)),
        "near_due": Count("id", filter=Q(state__in=OPEN_STATES, deadline__gte=today, deadline__lte=near_end)),
        "overdue": Count("id", filter=Q(state__in=OPEN_STATES, deadline__lt=today)),
        "done": Count("id", filter=Q(completed_at__isnull=False)),
    }
    by_unit = list(items.values("lead_unit__name").annotate(**counts).order_by("lead_unit__name"))
    by_person = list(items.values("lead__username", "lead__full_name").annotate(**counts).order_by("lead__username"))
    return {"agency": items.aggregate(**counts), "units": by_unit, "people": by_person}


def send_reminders(today=None):
    """Remind each handler of documents due soon and overdue; each reminder once per document and day."""
    today = today or timezone.localdate()
    sent = 0
    for due, word in (("near", "sắp đến hạn"), ("overdue", "đã quá hạn")):
        for item in filter_due(Incoming.objects.select_related("document"), due, today):
            handlers = [h.user for h in Handler.objects.filter(incoming=item, completed_at__isnull=True)
                        .select_related("user")]
            document = item.document
            sent += len(notify(
                handlers, key=f"deadline-{due}:{item.pk}:{today}",
                title=f"Văn bản {document.number_notation or document.subject[:40]} {word} ({item.deadline:%d/%m/%Y})",
                body=f"{document.subject}\nHạn xử lý: {item.deadline:%d/%m/%Y}.",
                link=f"/api/v1/incoming/{item.pk}/"))
    return sent
