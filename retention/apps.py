from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _starter_schedule(sender, **kwargs):
    from .services import ensure_starter_schedule

    ensure_starter_schedule()


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention schedules")

    def ready(self):
        post_migrate.connect(_starter_schedule, sender=self)
