"""edXML packages (QCVN 102:2016) exchanged with other agencies, kept byte-for-byte.

Every package received (a document, a recall, a status) and every package we
produce (status replies) is recorded here, with the original bytes as a
content-addressed Blob and the parsed header as JSON.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from casefiles.models import Blob, Document


class EdxmlPackage(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    class Business(models.IntegerChoices):
        # TraceHeaderList/Bussiness/BussinessDocType (OBSERVED in SDKs, not checked against the QCVN text).
        NEW = 0, _("New document (văn bản mới)")
        RECALL = 1, _("Recall (thu hồi)")
        UPDATE = 2, _("Update (cập nhật)")
        REPLACE = 3, _("Replace (thay thế)")

    class Status(models.TextChoices):
        # StatusCode of a status package: QĐ 28/2018 statuses, edXML codes from the domain reference §1.7.
        # The labels are the standard's Vietnamese terms, written as such in status packages.
        # 01-06: OBSERVED in three or more independent implementations.
        ARRIVED = "01", "Đã đến"
        REFUSED = "02", "Từ chối tiếp nhận"
        ACCEPTED = "03", "Đã tiếp nhận"
        ASSIGNED = "04", "Phân công"
        PROCESSING = "05", "Đang xử lý"
        DONE = "06", "Hoàn thành"
        # 13, 15, 16: NOT CONFIRMED (seen in two implementations only, not checked against the QCVN text).
        RECALL_REQUESTED = "13", "Thu hồi văn bản"
        RECALL_AGREED = "15", "Đồng ý thu hồi/cập nhật"
        RECALL_REFUSED = "16", "Từ chối thu hồi/cập nhật"

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="edxml_packages")
    # The document the package carried, recalled, or answers (kept when the record is deleted).
    document = models.ForeignKey(Document, verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="edxml_packages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    # Null for status packages, which carry no Bussiness block.
    business_type = models.PositiveSmallIntegerField(_("business type"), choices=Business.choices,
                                                     null=True, blank=True)
    # MessageHeader/DocumentId, or ResponseFor/DocumentId of a status package.
    document_identifier = models.CharField(_("edXML document id"), max_length=120, blank=True, db_index=True)
    from_organ_id = models.CharField(_("sender identifier code"), max_length=35, blank=True)
    from_organ_name = models.CharField(_("sender"), max_length=200, blank=True)
    status_code = models.CharField(_("status code"), max_length=2, choices=Status.choices, blank=True)
    blob = models.ForeignKey(Blob, verbose_name=_("package bytes"), on_delete=models.PROTECT, related_name="+")
    header = models.JSONField(_("header"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("edXML package")
        verbose_name_plural = _("edXML packages")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Importing the same package twice, or the same new document twice, records it once.
            models.UniqueConstraint(fields=["agency", "blob"], condition=models.Q(direction="in"),
                                    name="edxml_package_once_per_agency"),
            models.UniqueConstraint(fields=["agency", "document_identifier"],
                                    condition=models.Q(direction="in", business_type=0),
                                    name="edxml_new_document_once_per_agency"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.document_identifier} {self.status_code}".strip()
