from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role

abbreviation_validator = RegexValidator(
    r"^[a-z0-9]{1,30}$",
    _("Tên viết tắt chỉ gồm chữ thường không dấu và chữ số, viết liền."),
    code="invalid_abbreviation",
)
identifier_validator = RegexValidator(
    r"^[A-Za-z0-9.\-]{1,35}$",
    _("Mã định danh gồm chữ, số, dấu chấm hoặc gạch nối, tối đa 35 ký tự."),
    code="invalid_identifier",
)


class Agency(models.Model):
    """A state agency (cơ quan): one tenant with its own registers, file plans and archive."""

    # Mã định danh: 13-character QCVN 102 form (000.00.00.H53) or the longer Decision 20/2020 form.
    identifier = models.CharField(_("identifier code"), max_length=35, unique=True, validators=[identifier_validator])
    name = models.CharField(_("full name"), max_length=200)
    # Used for usernames and the agency's site <abbreviation>.<base domain> (Sơn La Art. 6).
    abbreviation = models.CharField(_("abbreviation"), max_length=30, unique=True, validators=[abbreviation_validator])
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def hostname(self):
        return f"{self.abbreviation}.{settings.BASE_DOMAIN}"


class Unit(models.Model):
    """A unit of an agency (phòng, ban, đơn vị)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name_per_agency")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person working in one agency and unit. Roles are the groups named in accounts.roles.Role."""

    full_name = models.CharField(_("full name"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    position = models.CharField(_("position"), max_length=100, blank=True)  # chức vụ
    # Null only for the deployment operator (superuser), who belongs to no agency.
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    @property
    def role_codes(self):
        if not hasattr(self, "_role_codes"):
            valid = set(Role.values)
            self._role_codes = {g.name for g in self.groups.all() if g.name in valid}
        return self._role_codes

    def has_role(self, *roles):
        return self.is_superuser or bool(self.role_codes & {str(r) for r in roles})


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the audit trail is append-only")

    def delete(self):
        raise PermissionError("the audit trail is append-only")


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit trail (see accounts.audit)."""

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        VIEW = "view", _("view")
        DOWNLOAD = "download", _("download")
        DELETE = "delete", _("delete")
        LOGIN = "login", _("login")
        DENIED = "denied", _("denied")

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    time = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only")


class AuditHead(models.Model):
    """The chain's head: last sequence and hash, sealed, so a deleted tail is noticed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    seal = models.CharField(max_length=64, default="")


class Notification(models.Model):
    """A message to one person inside hoso (reminders, warnings, assignments)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # One notification per key and person: jobs that run again do not repeat themselves.
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]

    def __str__(self):
        return self.title
