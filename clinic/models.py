import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.querysets import (
    AuditEventQuerySet,
    ClinicScopedQuerySet,
    PatientQuerySet,
    UserManager,
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Clinic(models.Model):
    """The tenant. Its time zone decides what “today” means for its patients."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True, allow_unicode=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    low_adherence_below = models.PositiveSmallIntegerField(
        _("flag adherence below (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Patients whose check-offs over the last 7 days fall below this share of the "
            "scheduled ones show on the dashboard."
        ),
    )
    handout_paper = models.CharField(
        _("handout paper size"),
        max_length=6,
        choices=[("a4", _("A4")), ("letter", _("Letter"))],
        default="a4",
        help_text=_("The page size of the PDF handouts given to patients."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    require_two_step_admins = models.BooleanField(
        _("require two-step sign-in for admins"),
        default=True,
        help_text=_("Clinic admins enter a code from an authenticator app after their password."),
    )
    require_two_step_staff = models.BooleanField(
        _("require two-step sign-in for all staff"),
        default=False,
        help_text=_("Therapists and admins enter a code from an authenticator app too."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self):
        return timezone.localdate(timezone=self.zone)


class Role(models.TextChoices):
    ADMIN = "admin", _("Clinic admin")
    THERAPIST = "therapist", _("Therapist")
    PATIENT = "patient", _("Patient")

    @classmethod
    def staff_roles(cls) -> list[str]:
        return [cls.ADMIN, cls.THERAPIST]


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    Clinic people have a role and a clinic; platform staff are superusers with neither.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform staff"),
        default=False,
        help_text=_("Can sign in to the Django admin. Only for people who run this installation."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(clinic__isnull=True, role="")
                    | models.Q(clinic__isnull=False, role__in=[r.value for r in Role])
                ),
                name="user_clinic_and_role_together",
                violation_error_message=_("A clinic user needs both a clinic and a role."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("A user with this e-mail address already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_clinic_admin(self) -> bool:
        return self.clinic_id is not None and self.role == Role.ADMIN

    @property
    def is_therapist(self) -> bool:
        return self.clinic_id is not None and self.role == Role.THERAPIST

    @property
    def is_clinic_staff(self) -> bool:
        return self.clinic_id is not None and self.role in Role.staff_roles()

    @property
    def is_patient(self) -> bool:
        return self.clinic_id is not None and self.role == Role.PATIENT


PATIENT_EMAIL_TAKEN = _("This clinic already has a patient with this address.")


class Patient(models.Model):
    """A clinic's patient. `user` stays empty until the invitation is accepted."""

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="patients"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        related_name="patient",
        null=True,
        blank=True,
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    primary_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("primary therapist"),
        on_delete=models.SET_NULL,
        related_name="primary_patients",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                "clinic",
                Lower("email"),
                name="patient_email_unique_per_clinic",
                violation_error_message=PATIENT_EMAIL_TAKEN,
            ),
        ]
        indexes = [
            # The patient list: one clinic's patients in name order, read a page at a time.
            models.Index(
                fields=["clinic", "last_name", "first_name", "id"], name="patient_list_order_idx"
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("patient_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class InvitationQuerySet(ClinicScopedQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An e-mailed, signed, single-use link that lets a person set a password and join a clinic.

    The link carries a signed, timestamped id; `accepted_at` makes it single-use and
    `revoked_at` retires older links when a new one is sent.
    """

    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when platform staff invited a clinic's first admin."),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.PATIENT, patient__isnull=False)
                    | (~models.Q(role=Role.PATIENT) & models.Q(patient__isnull=True))
                ),
                name="invitation_patient_iff_patient_role",
                violation_error_message=_("Only a patient invitation names a patient."),
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def expires_at(self):
        return self.created_at + settings.INVITATION_MAX_AGE

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() > self.expires_at


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_OUT = "sign_out", _("signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    ACCESS = "access", _("changed access")


class AuditEvent(models.Model):
    """One access to patient data or to an account: who, in which role and clinic, did what to
    which object (and whose data it was), from where, when. Append-only: written by
    `clinic.audit.record_event`, never changed or deleted by the app."""

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    patient = models.ForeignKey(
        Patient,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["clinic", "-created_at"]),
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_role} {self.action} {self.object_type}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit events are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit events are never deleted."))


class UserSession(AbstractBaseSession):
    """A browser session that knows whose it is (the session engine `clinic.sessions` fills
    `user`), so signing out everywhere, a password change or a deactivation can end every
    session of one person at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from clinic.sessions import SessionStore

        return SessionStore
