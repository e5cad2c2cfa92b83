"""Routing's background jobs."""

from celery import shared_task

from . import deadlines


@shared_task(name="routing.send_deadline_reminders")
def send_deadline_reminders():
    """Daily: remind handlers of incoming documents near their deadline or past it."""
    return deadlines.send_reminders()
