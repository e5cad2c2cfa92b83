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
from retention.models import Retention


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


# --- File plans (Danh mục hồ sơ) and case files (hồ sơ), Decree 30 Art. 28-30 -------------------


class AccessRegime(models.Model):
    """Chế độ sử dụng: a configurable list (default Công khai / Sử dụng có điều kiện / Mật)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=30)
    public = models.BooleanField(_("open to the public"), default=False)
    ordinal = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("access regime")
        verbose_name_plural = _("access regimes")
        ordering = ["ordinal", "code"]

    def __str__(self):
        return self.name


class FilePlan(models.Model):
    """An agency's annual file plan, approved by a decision and then changed only by logged amendments."""

    class Numbering(models.TextChoices):
        CONTINUOUS = "continuous", _("Continuous across the plan")
        PER_HEADING = "per_heading", _("Restarting in each top heading")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="file_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    numbering = models.CharField(_("numbering"), max_length=12, choices=Numbering.choices,
                                 default=Numbering.CONTINUOUS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file plan")
        verbose_name_plural = _("file plans")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="file_plan_one_per_year")]

    def __str__(self):
        return f"Danh mục hồ sơ năm {self.year} — {self.agency.abbreviation}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class PlanHeading(models.Model):
    """A heading of the plan: top headings (Roman numerals, with an abbreviation such as TCCB) and
    sub-headings (Arabic numerals restarting in each top heading)."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="headings")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    ordinal = models.PositiveSmallIntegerField(_("ordinal"))
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("plan heading")
        verbose_name_plural = _("plan headings")
        ordering = ["plan", "parent_id", "ordinal"]

    def __str__(self):
        return f"{self.label}. {self.title}"

    @property
    def top(self):
        return self.parent or self

    @property
    def label(self):
        from .numbering import roman

        return roman(self.ordinal) if self.parent_id is None else str(self.ordinal)


class PlanItem(Retention):
    """A planned case file: number and symbol (01.TCCB), title, retention, creator, note."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="items")
    heading = models.ForeignKey(PlanHeading, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    file_notation = models.CharField(_("number and symbol"), max_length=20)  # số và ký hiệu hồ sơ
    title = models.CharField(_("title"), max_length=500)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("file creator"))
    creator_name = models.CharField(_("file creator"), max_length=50, blank=True)  # người lập hồ sơ
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("unit"))
    construction = models.BooleanField(_("capital construction (XDCB)"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "heading__parent_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "file_notation"], name="plan_item_unique_notation")]

    def __str__(self):
        return f"{self.file_notation} {self.title}"


class PlanAmendment(models.Model):
    """A logged change to an approved plan."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="amendments")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    change = models.JSONField(_("change"), default=dict)
    time = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan amendment")
        verbose_name_plural = _("plan amendments")
        ordering = ["plan", "time"]


class CaseFile(Retention):
    """A case file (hồ sơ) with the Appendix VI Part III metadata."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="case_files")
    year = models.PositiveSmallIntegerField(_("year"))  # FileCatalog: năm hình thành hồ sơ
    file_notation = models.CharField(_("number and symbol"), max_length=20)  # FileNotation
    plan_item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="case_files", verbose_name=_("plan item"))
    title = models.CharField(_("title"), max_length=500)
    rights = models.ForeignKey(AccessRegime, verbose_name=_("access regime"), on_delete=models.PROTECT,
                               related_name="+")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("file creator"), null=True,
                                on_delete=models.SET_NULL, related_name="created_case_files")
    creator_name = models.CharField(_("file creator"), max_length=50)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_files",
                             verbose_name=_("unit"))
    language = models.CharField(_("language"), max_length=50, default="Tiếng Việt")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    doc_total = models.PositiveIntegerField(_("document total"), default=0)
    page_total = models.PositiveIntegerField(_("page total"), default=0)
    description = models.CharField(_("description"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Capital construction (XDCB): due three months after final settlement (Art. 30.2a).
    construction = models.BooleanField(_("capital construction (XDCB)"), default=False)
    settlement_date = models.DateField(_("final settlement date"), null=True, blank=True)
    # Held back by its unit past the due date, with the head's approval (Art. 31.3d), at most two years.
    held_until = models.DateField(_("held back until"), null=True, blank=True)
    hold_approval = models.CharField(_("hold-back approval"), max_length=300, blank=True)
    transferred_at = models.DateTimeField(_("transferred to the archive at"), null=True, blank=True)
    # Accepted by the agency archive: with a public access regime, then open to public search.
    accepted_at = models.DateTimeField(_("accepted by the archive at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["agency", "-year", "file_notation"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "file_notation"], name="case_file_unique_code"),
        ]

    def __str__(self):
        return f"{self.file_notation} {self.title}"

    @property
    def file_code(self):
        """Mã hồ sơ: OrganId.FileCatalog.FileNotation, e.g. 000.00.01.H53.2026.01.TCCB."""
        return f"{self.agency.identifier}.{self.year}.{self.file_notation}"

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def is_public(self):
        return self.accepted_at is not None and self.rights.public


class CaseFileEntry(models.Model):
    """A document filed in a case file, with its ordinal there. One document may sit in several
    files; its bytes are never copied."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="case_entries")
    ordinal = models.PositiveSmallIntegerField(_("ordinal"))  # DocOrdinal
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("filed document")
        verbose_name_plural = _("filed documents")
        ordering = ["case_file", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "document"], name="entry_once_per_file"),
            models.UniqueConstraint(fields=["case_file", "ordinal"], name="entry_unique_ordinal"),
        ]

    def __str__(self):
        return self.identifier

    @property
    def identifier(self):
        """The document's identifier in this file: file code + ordinal (three digits)."""
        return f"{self.case_file.file_code}.{self.ordinal:03d}"
