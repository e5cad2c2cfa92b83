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
    # Identifier of the document across systems (edXML DocumentId: OrganId,yyyy/MM/dd,Number/Notation).
    identifier = models.CharField(_("document identifier"), max_length=120, blank=True, db_index=True)
    # Recall (thu hồi, Decree 30 Appendix VI): content withdrawn from use, the recall metadata kept.
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_info = models.JSONField(_("recall information"), default=dict, blank=True)
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
    def is_recalled(self):
        return self.recalled_at is not None

    @property
    def main_file(self):
        return next((f for f in self.files.all() if f.role == DocumentFile.Role.MAIN), None)


class DocumentFile(models.Model):
    """A file of a document (main file, appendix, attachment), pointing at a shared Blob."""

    class TextSource(models.TextChoices):
        EXTRACTED = "extracted", _("extracted")
        OCR = "ocr", _("OCR")

    class OcrStatus(models.TextChoices):
        NONE = "none", _("not needed")
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

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
    # Content as text (extracted, or recognised by OCR), NFC.
    text = models.TextField(_("text"), blank=True)
    text_source = models.CharField(_("text source"), max_length=10, choices=TextSource.choices, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    ocr_status = models.CharField(_("OCR"), max_length=10, choices=OcrStatus.choices, default=OcrStatus.NONE)
    # A searchable PDF made by OCR, kept beside the untouched original.
    searchable_blob = models.ForeignKey(
        Blob, verbose_name=_("searchable copy"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Risky content found at intake (JavaScript, launch actions, embedded files): never served inline.
    quarantined = models.BooleanField(_("quarantined"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "ordinal", "id"]

    def __str__(self):
        return self.original_name


class FileSignature(models.Model):
    """One digital signature found in a PDF and what validation said of it."""

    document_file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="signatures")
    field_name = models.CharField(_("field"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer"), max_length=300, blank=True)
    signer_certificate = models.TextField(_("signer certificate subject"), blank=True)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    signing_time = models.DateTimeField(_("signing time"), null=True, blank=True)
    # Byte range covered by the signature and whether it covers the whole file.
    covered_range = models.CharField(_("covered range"), max_length=100, blank=True)
    covers_whole_file = models.BooleanField(_("covers the whole file"), default=False)
    intact = models.BooleanField(_("intact"), default=False)
    valid = models.BooleanField(_("valid"), default=False)
    trusted = models.BooleanField(_("trusted"), default=False)
    revocation = models.CharField(_("revocation status"), max_length=30, blank=True)
    error = models.TextField(_("error"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document_file", "id"]

    def __str__(self):
        return self.signer_name or self.field_name


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
