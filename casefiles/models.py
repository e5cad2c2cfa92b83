"""The document record (văn bản) and its content-addressed files.

Field names follow Decree 30/2020 Appendix VI (TypeName -> type_name, ...).
The record knows no workflow, channel or index: higher apps learn of its
changes through signals.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit


class Blob(models.Model):
    """Bytes stored once, named by their SHA-256, never overwritten."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    mime_type = models.CharField(_("type"), max_length=100)
    # Name in the "records" storage: ASCII, file name part at most 50 characters (Sơn La Art. 7.4).
    name = models.CharField(_("stored name"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return self.sha256


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The documents a user may see: their agency's only (the operator sees all)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(agency_id=user.agency_id)


class Document(models.Model):
    """One received, issued or internal document with its Appendix VI metadata."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received (văn bản đến)")
        ISSUED = "issued", _("Issued (văn bản đi)")
        INTERNAL = "internal", _("Internal (nội bộ)")

    class Priority(models.IntegerChoices):
        # Mức độ khẩn (Decision 28/2018 codes, also used by edXML OtherInfo.Priority).
        NORMAL = 0, _("Normal (thường)")
        URGENT = 1, _("Urgent (khẩn)")
        VERY_URGENT = 2, _("Very urgent (thượng khẩn)")
        EXPRESS = 3, _("Express (hỏa tốc)")
        EXPRESS_TIMED = 4, _("Timed express (hỏa tốc hẹn giờ)")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="documents")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RECEIVED)
    type_name = models.CharField(_("type name"), max_length=100, blank=True)  # tên loại văn bản
    code_number = models.CharField(_("number"), max_length=11, blank=True)  # số của văn bản
    code_notation = models.CharField(_("notation"), max_length=30, blank=True)  # ký hiệu
    issued_date = models.DateField(_("issued date"), null=True, blank=True)
    organ_name = models.CharField(_("issuing organ"), max_length=200, blank=True)  # cơ quan ban hành
    subject = models.CharField(_("subject"), max_length=500)  # trích yếu nội dung
    language = models.CharField(_("language"), max_length=30, default="Tiếng Việt", blank=True)
    page_amount = models.PositiveSmallIntegerField(
        _("page amount"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    description = models.CharField(_("description"), max_length=500, blank=True)  # ghi chú
    signer_position = models.CharField(_("signer position"), max_length=100, blank=True)
    signer_full_name = models.CharField(_("signer full name"), max_length=50, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    due_date = models.DateField(_("due date"), null=True, blank=True)  # hạn trả lời / thời hạn giải quyết
    # Received documents
    arrival_date = models.DateTimeField(_("arrival date"), null=True, blank=True)  # ngày đến
    arrival_number = models.PositiveIntegerField(
        _("arrival number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )  # số đến
    to_places = models.CharField(_("receiving units or persons"), max_length=1000, blank=True)
    # Issued documents
    issued_amount = models.PositiveSmallIntegerField(
        _("issued amount"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "kind", "-created_at"]),
            models.Index(fields=["agency", "code_number", "code_notation"]),
        ]

    def __str__(self):
        return f"{self.number_notation} {self.subject}".strip()

    @property
    def number_notation(self):
        """'125/QĐ-UBND' (số và ký hiệu)."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation

    @property
    def main_file(self):
        return next((f for f in self.files.all() if f.role == DocumentFile.Role.MAIN), None)


class DocumentFile(models.Model):
    """A file of a document (main file, appendix, attachment), pointing at a shared Blob."""

    class Role(models.TextChoices):
        MAIN = "main", _("Main file")
        APPENDIX = "appendix", _("Appendix")
        ATTACHMENT = "attachment", _("Attachment")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="document_files")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MAIN)
    original_name = models.CharField(_("original file name"), max_length=255)  # NFC
    ordinal = models.PositiveSmallIntegerField(_("ordinal"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "ordinal", "id"]

    def __str__(self):
        return self.original_name


class Recipient(models.Model):
    """A recipient of an issued document (Appendix VI, To: OrganId, OrganName)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    organ_id = models.CharField(_("recipient identifier code"), max_length=35, blank=True)
    organ_name = models.CharField(_("recipient name"), max_length=200)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["id"]

    def __str__(self):
        return self.organ_name
