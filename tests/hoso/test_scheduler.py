import datetime

from celery.schedules import crontab
from django.utils import timezone

from accounts.models import Notification
from casefiles import filing
from hoso.scheduler import InProcessBeat


def test_due_jobs_run_in_process(open_file, make_document, clerk_a):
    """Without a broker the beat schedule still runs: here the transfer warning, made due at once."""
    today = timezone.localdate()
    open_file.start_date = today - datetime.timedelta(days=400)
    open_file.save()
    filing.add_document(open_file, make_document(issued=today - datetime.timedelta(days=390)))
    filing.close_case_file(open_file, end_date=today - datetime.timedelta(days=350), retention_confirmed=True)
    beat = InProcessBeat({"warn": {"task": "casefiles.warn_transfer_due", "schedule": 0.0},
                          "later": {"task": "casefiles.warn_transfer_due", "schedule": crontab(minute=0, hour=0,
                                                                                               day_of_month=1)}})
    assert beat.run_due() == ["warn"]
    assert Notification.objects.filter(user=clerk_a).exists()


def test_a_failing_job_does_not_stop_the_others(db):
    beat = InProcessBeat({"bad": {"task": "no.such.task", "schedule": 0.0},
                          "good": {"task": "routing.send_deadline_reminders", "schedule": 0.0}})
    assert beat.run_due() == ["good"]
