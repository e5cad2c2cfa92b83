"""Lean routing: registers with yearly numbering, and one small explicit state machine per document kind.

Incoming (văn bản đến, Sơn La regulation Art. 11):
    received -> registered -> presented -> assigned -> in_progress -> completed -> filed
Outgoing (văn bản đi, Art. 12):
    draft -> consulting -> draft (comments taken) -> submitted -> initialled | returned
    -> approved -> numbered -> issued ; issued -> recalled
Every step is kept as a Trace (TraceHeaderList).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit
from casefiles.models import CaseFile, Document

USER = settings.AUTH_USER_MODEL


class Register(models.Model):
    """Sổ đăng ký: one numbering series per agency, year and kind. Numbers start at 1 on 1 January."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Incoming (văn bản đến)")
        OUTGOING = "outgoing", _("Outgoing (văn bản đi)")
        LEGAL = "legal", _("Legal-normative documents (văn bản quy phạm pháp luật)")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registers")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["agency", "-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="register_one_per_series")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"


class RegisterEntry(models.Model):
    """A number given by a register: never reused; a cancelled number stays recorded as cancelled."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("number"))
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="register_entries")
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["register", "number"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="register_number_once")]

    def __str__(self):
        return f"{self.register} #{self.number}"


class Incoming(models.Model):
    """The handling of one received document."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received, not registered")
        REGISTERED = "registered", _("Registered")
        PRESENTED = "presented", _("Presented to a leader")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("Being handled")
        COMPLETED = "completed", _("Completed")
        FILED = "filed", _("Filed")
        REFUSED = "refused", _("Refused (returned to sender)")
        RECALLED = "recalled", _("Recalled by the sender")

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="incoming")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    presented_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("presented to"))
    lead = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("lead handler"))  # chủ trì
    lead_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("lead unit"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    instruction = models.TextField(_("leader's instruction"), blank=True)  # ý kiến chỉ đạo
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    case_file = models.ForeignKey(CaseFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("case file"))
    # Where the document came from, for status reports back to the sender (edXML) and duplicate warnings.
    source = models.CharField(_("source"), max_length=20, blank=True)  # upload | edxml | drop | internal
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.document)


class Handler(models.Model):
    """A person assigned to an incoming document: the lead (chủ trì) or a co-handler (phối hợp)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead (chủ trì)")
        CO = "co", _("Co-handler (phối hợp)")

    incoming = models.ForeignKey(Incoming, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="handling")
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("handler")
        verbose_name_plural = _("handlers")
        constraints = [models.UniqueConstraint(fields=["incoming", "user"], name="handler_once")]


class Outgoing(models.Model):
    """The making of one issued document, from draft to issuance."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTING = "consulting", _("Asking for comments")
        SUBMITTED = "submitted", _("Submitted to the unit head")
        INITIALLED = "initialled", _("Initialled (ký tắt)")
        RETURNED = "returned", _("Returned with comments")
        APPROVED = "approved", _("Approved and signed by the leader")
        NUMBERED = "numbered", _("Numbered")
        ISSUED = "issued", _("Issued")
        RECALLED = "recalled", _("Recalled")

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="outgoing")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    drafter = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("drafter"))
    unit_head = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("unit head"))
    signer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("signer"))
    legal = models.BooleanField(_("legal-normative document"), default=False)
    case_file = models.ForeignKey(CaseFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("case file"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.document)


class Consultation(models.Model):
    """A co-handler asked for comments on a draft (xin ý kiến)."""

    outgoing = models.ForeignKey(Outgoing, on_delete=models.CASCADE, related_name="consultations")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outgoing", "user"], name="consultation_once")]


class Trace(models.Model):
    """One step of a document's handling (TraceHeaderList): who, on whose behalf, what, when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="traces")
    time = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf_of = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("on behalf of"))
    action = models.CharField(_("action"), max_length=30)
    state_from = models.CharField(max_length=12, blank=True)
    state_to = models.CharField(max_length=12, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("trace")
        verbose_name_plural = _("traces")
        ordering = ["document", "time", "id"]


class Delegation(models.Model):
    """A leader delegates assignment and supervision to a named person for a period (ủy quyền)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="delegations")
    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="delegations_given")
    delegate = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="delegations_received")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on"]


class SigningKey(models.Model):
    """A PKCS#12 key installed by the administrator: a person's (user set) or the agency's own (user empty).

    The PKCS#12 file and the image (the person's signature or the agency's seal, PNG with transparency)
    are stored blobs; the password is kept encrypted (routing.keys). One key per holder is active.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signing_keys",
                               verbose_name=_("agency"))
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="signing_keys",
                             verbose_name=_("person"))
    p12 = models.ForeignKey("casefiles.Blob", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("PKCS#12 file"))
    password_encrypted = models.TextField()
    image = models.ForeignKey("casefiles.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("signature or seal image"))
    subject = models.CharField(_("certificate subject"), max_length=500)
    issuer = models.CharField(_("certificate issuer"), max_length=500)
    not_after = models.DateTimeField(_("valid until"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["agency", "user", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], condition=models.Q(active=True, user__isnull=False),
                                    name="signing_key_one_active_per_person"),
            models.UniqueConstraint(fields=["agency"], condition=models.Q(active=True, user__isnull=True),
                                    name="signing_key_one_active_per_agency"),
        ]

    def __str__(self):
        return f"{self.user or self.agency} — {self.subject}"
