"""In-app notifications, also e-mailed when the deployment has a mail server (EMAIL_HOST)."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from .models import Notification

logger = logging.getLogger(__name__)


def notify(users, *, key, title, body="", link=""):
    """Notify each user once per key; returns the notifications created now."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        notification, new = Notification.objects.get_or_create(
            user=user, key=key[:200], defaults={"title": title[:300], "body": body, "link": link[:300]})
        if new:
            created.append(notification)
            if settings.EMAIL_HOST and user.email:
                try:
                    send_mail(title, f"{body}\n\n{settings.WAGTAILADMIN_BASE_URL}{link}", None, [user.email])
                except OSError:
                    logger.warning("could not e-mail %s", user.username, exc_info=True)
    return created
