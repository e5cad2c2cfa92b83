from django.apps import apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from . import audit
from .roles import ensure_role_groups


@receiver(post_migrate)
def create_role_groups(sender, app_config=None, **kwargs):
    # post_migrate is sent once per app with models; by the last one every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and app_config is with_models[-1]:
        ensure_role_groups()


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit.record(audit.LOGIN, user, actor=user, request=request)
