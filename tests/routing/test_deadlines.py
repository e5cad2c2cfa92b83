import datetime

from django.utils import timezone

from accounts.models import Notification
from routing import deadlines
from routing import incoming as flow
from routing.models import Incoming
from routing.tasks import send_deadline_reminders


def assigned(received, people, deadline, number="1"):
    item = Incoming.objects.get(document=received(number=number))
    flow.register(item, people["clerk"])
    flow.present(item, people["clerk"], leader=people["leader"])
    flow.assign(item, people["leader"], lead=people["officer"], co_handlers=[people["officer2"]])
    Incoming.objects.filter(pk=item.pk).update(deadline=deadline)
    return item


def test_near_and_overdue_lists_and_reminders(received, people):
    today = timezone.localdate()
    near = assigned(received, people, today + datetime.timedelta(days=1), "1")
    late = assigned(received, people, today - datetime.timedelta(days=3), "2")
    assigned(received, people, today + datetime.timedelta(days=30), "3")
    assert list(deadlines.filter_due(Incoming.objects.all(), "near")) == [near]
    assert list(deadlines.filter_due(Incoming.objects.all(), "overdue")) == [late]
    assert send_deadline_reminders.delay().get() == 4  # two documents, two handlers each
    assert send_deadline_reminders() == 0
    titles = set(Notification.objects.filter(user=people["officer"]).values_list("title", flat=True))
    assert any("đã quá hạn" in t for t in titles) and any("sắp đến hạn" in t for t in titles)


def test_dashboard_counts(received, people, agency_a):
    today = timezone.localdate()
    assigned(received, people, today - datetime.timedelta(days=1), "1")
    assigned(received, people, today + datetime.timedelta(days=1), "2")
    board = deadlines.dashboard(agency_a)
    assert board["agency"] == {"pending": 2, "near_due": 1, "overdue": 1, "done": 0}
    assert board["people"][0]["lead__username"] == people["officer"].username


def test_is_overdue():
    day = datetime.date(2026, 5, 1)
    assert deadlines.is_overdue(day, None, today=datetime.date(2026, 5, 2))
    assert not deadlines.is_overdue(day, None, today=day)
    assert not deadlines.is_overdue(None, None)
