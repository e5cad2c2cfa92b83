"""A django-tasks backend that hands Wagtail's background work to Celery workers."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id


@shared_task(name="hoso.run_django_task", acks_late=True)
def run_django_task(module_path, args, kwargs):
    """Run a django-tasks Task (by its module path) inside a Celery worker."""
    task = import_string(module_path)
    return task.call(*args, **kwargs)


class CeleryBackend(BaseTaskBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=timezone.now(),
            started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
            kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[],
        )
        # Workers must see the rows this transaction writes: send on commit.
        transaction.on_commit(lambda: run_django_task.delay(task.module_path, result.args, result.kwargs))
        return result
