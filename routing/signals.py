"""Routing learns of new and recalled documents from the record's signals."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from casefiles.models import Document

from .models import Incoming, Outgoing, Trace


@receiver(post_save, sender=Document)
def queue_received(sender, instance, created, **kwargs):
    """Every received document enters its agency's incoming queue, however it arrived."""
    if created and instance.kind == Document.Kind.RECEIVED and not kwargs.get("raw"):
        Incoming.objects.create(document=instance)  # in the same transaction as the record


@receiver(post_save, sender=Document)
def follow_recall(sender, instance, created, **kwargs):
    """A document recalled by its sender (edXML recall) leaves the queue, keeping its trace."""
    if instance.recalled_at is None or created:
        return
    for model in (Incoming, Outgoing):
        flow = model.objects.filter(document=instance).exclude(state=model.State.RECALLED).first()
        if flow is not None:
            Trace.objects.create(document=instance, action="recall", state_from=flow.state,
                                 state_to=model.State.RECALLED, comment=instance.recall_info.get("reason", ""))
            flow.state = model.State.RECALLED
            flow.save(update_fields=["state"])
