import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from casefiles import filing
from casefiles.tasks import warn_transfer_due
from tests.conftest import make_person


@pytest.fixture
def archivist(agency_a):
    return make_person(agency_a, "Trịnh Thu Lưu", Role.ARCHIVIST)


def close(case_file, document, end_date):
    case_file.start_date = end_date - datetime.timedelta(days=60)
    case_file.save()
    filing.add_document(case_file, document)
    filing.close_case_file(case_file, end_date=end_date, retention_confirmed=True)


def test_warns_creator_and_archivist_once(open_file, make_document, clerk_a, archivist):
    today = timezone.localdate()
    close(open_file, make_document(issued=today - datetime.timedelta(days=400)),
          end_date=today - datetime.timedelta(days=350))
    assert warn_transfer_due.delay().get() == 2
    notes = Notification.objects.order_by("user_id")
    assert {n.user for n in notes} == {clerk_a, archivist}
    assert "đến hạn nộp lưu" in notes[0].title
    assert warn_transfer_due() == 0  # the next run repeats nothing


def test_overdue_files_are_listed(open_file, make_document, archivist):
    today = timezone.localdate()
    close(open_file, make_document(issued=today - datetime.timedelta(days=800)),
          end_date=today - datetime.timedelta(days=700))
    warn_transfer_due()
    assert Notification.objects.get(user=archivist).title.startswith(f"Hồ sơ {open_file.file_notation} đã quá hạn")


def test_nothing_far_from_due(open_file, make_document, archivist):
    today = timezone.localdate()
    close(open_file, make_document(issued=today - datetime.timedelta(days=30)), end_date=today)
    assert warn_transfer_due() == 0
