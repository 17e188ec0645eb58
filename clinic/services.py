"""Writes for clinics and people: invitations, patients, one-time sign-in links."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import get_token_model

from clinic.audit import record_event
from clinic.models import (
    PATIENT_EMAIL_TAKEN,
    AuditAction,
    Clinic,
    Invitation,
    Patient,
    Role,
    User,
    UserSession,
)
from clinic.sessions import forget_sessions

INVITATION_SALT = "clinic.invitation"
SIGN_IN_LINK_SALT = "clinic.sign-in-link"
# Links inside reminder e-mails live longer (the patient may open the e-mail in the evening)
# and are signed apart, so a short link can never be stretched to the long lifetime.
REMINDER_SIGN_IN_LINK_SALT = "clinic.sign-in-link.reminder"


class LinkError(Exception):
    """A link that cannot be used; `reason` is INVALID, EXPIRED, USED or ACCOUNT_EXISTS."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    ACCOUNT_EXISTS = "account_exists"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Invitations -----------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation the link names, or LinkError saying why it cannot be used."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE.total_seconds()
        )
    except signing.SignatureExpired as exc:
        raise LinkError(LinkError.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise LinkError(LinkError.INVALID) from exc
    invitation = (
        Invitation.objects.select_related("clinic", "patient").filter(pk=data.get("i")).first()
    )
    if invitation is None:
        raise LinkError(LinkError.INVALID)
    _check_invitation_usable(invitation)
    return invitation


def _check_invitation_usable(invitation: Invitation) -> None:
    if not invitation.is_pending:
        raise LinkError(LinkError.USED)
    if invitation.is_expired:
        raise LinkError(LinkError.EXPIRED)
    if account_exists(invitation.email):
        # One account per address: the invitee signs in with the one they have.
        raise LinkError(LinkError.ACCOUNT_EXISTS)


def account_exists(email: str, *, clinic: Clinic | None = None) -> bool:
    """Whether an account signs in with this address (only within `clinic` when given)."""
    accounts = User.objects.filter(email__iexact=email.strip())
    if clinic is not None:
        accounts = accounts.for_clinic(clinic)
    return accounts.exists()


def check_staff_invitable(*, clinic: Clinic, email: str) -> None:
    """A clinic invites staff by an address that no one at the clinic signs in with yet.

    The answer depends on the clinic's own people only: whether the address has an account
    at another clinic is not told (the invitee learns it when opening the link)."""
    if account_exists(email, clinic=clinic):
        raise ValidationError(
            {"email": _("Someone at your clinic already has an account with this address.")}
        )


def invitation_create(
    *,
    clinic: Clinic,
    email: str,
    role: str,
    invited_by: User,
    patient: Patient | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Create an invitation; earlier pending invitations to the same address stop working.
    Staff invitations follow `check_staff_invitable`."""
    email = email.strip().lower()
    if role != Role.PATIENT:
        check_staff_invitable(clinic=clinic, email=email)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.pending().filter(clinic=clinic, email__iexact=email).update(
            revoked_at=now
        )
        invitation = Invitation(
            clinic=clinic,
            email=email,
            role=role,
            patient=patient,
            invited_by=invited_by,
            first_name=first_name,
            last_name=last_name,
            created_at=now,
        )
        invitation.full_clean()
        invitation.save()
    return invitation


def invitation_send(*, invitation: Invitation, base_url: str) -> None:
    """E-mail the invitation link. `base_url` is the site's scheme and host."""
    link = base_url + reverse("invitation_accept", args=[invitation_token(invitation)])
    context = {
        "invitation": invitation,
        "link": link,
        "expires_at": invitation.expires_at,
        "clinic": invitation.clinic,
    }
    send_mail(
        subject=_("You are invited to %(clinic)s") % {"clinic": invitation.clinic.name},
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@dataclass(frozen=True)
class NewAccount:
    password: str
    first_name: str
    last_name: str


def invitation_accept(*, invitation: Invitation, account: NewAccount) -> User:
    """Turn a pending invitation into a user of its clinic, exactly once.

    The row is locked so two tabs submitting the same link create one account.
    """
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_invitation_usable(locked)
        user = User(
            email=locked.email,
            clinic_id=locked.clinic_id,
            role=locked.role,
            first_name=account.first_name,
            last_name=account.last_name,
        )
        user.set_password(account.password)
        user.full_clean()
        user.save()
        if locked.patient_id:
            Patient.objects.filter(pk=locked.patient_id, user__isnull=True).update(user=user)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
    return user


# --- Patients --------------------------------------------------------------------------------


def patient_create(
    *,
    clinic: Clinic,
    created_by: User,
    first_name: str,
    last_name: str,
    email: str,
    primary_therapist: User | None,
) -> tuple[Patient, Invitation]:
    """Add a patient to the clinic and prepare their invitation (send it with invitation_send).
    The address is unique within the clinic (`check_patient_email_free`)."""
    check_patient_email_free(clinic=clinic, email=email)
    with transaction.atomic():
        patient = Patient(
            clinic=clinic,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip().lower(),
            primary_therapist=primary_therapist,
        )
        patient.full_clean()
        patient.save()
        invitation = patient_invitation_create(patient=patient, invited_by=created_by)
    return patient, invitation


def check_patient_email_free(*, clinic: Clinic, email: str, patient: Patient | None = None):
    """One patient per address in a clinic (the database constraint says it too, with the
    same message)."""
    taken = Patient.objects.for_clinic(clinic).filter(email__iexact=email.strip())
    if patient is not None and patient.pk:
        taken = taken.exclude(pk=patient.pk)
    if taken.exists():
        raise ValidationError({"email": PATIENT_EMAIL_TAKEN})


def patient_invitation_create(*, patient: Patient, invited_by: User) -> Invitation:
    """A fresh invitation for a patient who has no account yet."""
    if patient.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": patient.full_name})
    return invitation_create(
        clinic=patient.clinic,
        email=patient.email,
        role=Role.PATIENT,
        invited_by=invited_by,
        patient=patient,
        first_name=patient.first_name,
        last_name=patient.last_name,
    )


PATIENT_EDITABLE_FIELDS = {"first_name", "last_name", "email", "primary_therapist"}


@transaction.atomic
def patient_update(*, patient: Patient, **fields) -> Patient:
    """Change a patient's details.

    Once the patient has an account, the address is their login and stays as it is; a new
    address (before that) retires earlier invitation links. The primary therapist must be
    staff of the patient's clinic.
    """
    unknown = set(fields) - PATIENT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"patient_update() cannot change {', '.join(sorted(unknown))}.")
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
        if patient.user_id and fields["email"] != patient.email.lower():
            raise ValidationError(
                {"email": _("The address is the patient's login now; only they can change it.")}
            )
        check_patient_email_free(clinic=patient.clinic_id, email=fields["email"], patient=patient)
    therapist = fields.get("primary_therapist")
    if therapist is not None and not (
        therapist.clinic_id == patient.clinic_id and therapist.is_clinic_staff
    ):
        raise ValidationError({"primary_therapist": _("Choose a therapist of your clinic.")})
    email_changed = "email" in fields and fields["email"] != patient.email.lower()
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    if email_changed:
        patient_invitations_revoke(patient=patient)
    return patient


def patient_invitations_revoke(*, patient: Patient) -> int:
    """Stop a patient's pending invitation links from working (e.g. after an address change)."""
    return Invitation.objects.pending().filter(patient=patient).update(revoked_at=timezone.now())


# --- One-time sign-in links for patients ----------------------------------------------------


def _last_login_stamp(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else ""


def sign_in_link_token(user: User) -> str:
    # Signing the last sign-in time makes the link single-use: signing in changes it.
    return signing.dumps({"u": user.pk, "l": _last_login_stamp(user)}, salt=SIGN_IN_LINK_SALT)


def reminder_sign_in_link_token(user: User) -> str:
    """A sign-in link for a reminder e-mail: single use like every sign-in link, valid for
    REMINDER_SIGN_IN_LINK_MAX_AGE (12 hours)."""
    return signing.dumps(
        {"u": user.pk, "l": _last_login_stamp(user)}, salt=REMINDER_SIGN_IN_LINK_SALT
    )


def _sign_in_link_data(token: str) -> dict:
    lifetimes = (
        (SIGN_IN_LINK_SALT, settings.SIGN_IN_LINK_MAX_AGE),
        (REMINDER_SIGN_IN_LINK_SALT, settings.REMINDER_SIGN_IN_LINK_MAX_AGE),
    )
    for salt, max_age in lifetimes:
        try:
            return signing.loads(token, salt=salt, max_age=max_age.total_seconds())
        except signing.SignatureExpired as exc:
            raise LinkError(LinkError.EXPIRED) from exc
        except signing.BadSignature:
            continue
    raise LinkError(LinkError.INVALID)


def sign_in_link_user(token: str) -> User:
    """The patient a sign-in link is for, or LinkError saying why it cannot be used."""
    data = _sign_in_link_data(token)
    user = User.objects.filter(pk=data.get("u"), is_active=True, role=Role.PATIENT).first()
    if user is None:
        raise LinkError(LinkError.INVALID)
    if data.get("l") != _last_login_stamp(user):
        raise LinkError(LinkError.USED)
    return user


def sign_in_link_send(*, email: str, base_url: str) -> None:
    """E-mail a sign-in link if the address belongs to an active patient; silently not otherwise.

    The caller answers the same way in both cases, so the form never reveals who has an account.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=True, role=Role.PATIENT
    ).first()
    if user is None:
        return
    link = base_url + reverse("sign_in_link", args=[sign_in_link_token(user)])
    minutes = int(settings.SIGN_IN_LINK_MAX_AGE.total_seconds() // 60)
    send_mail(
        subject=_("Your sign-in link"),
        message=render_to_string(
            "emails/sign_in_link.txt", {"user": user, "link": link, "minutes": minutes}
        ),
        from_email=None,
        recipient_list=[user.email],
    )


# --- Sessions and API tokens -------------------------------------------------------------------


def api_token_create(*, user: User) -> tuple[str, object]:
    """A new API token for one device: stored only as a hash, expiring after API_TOKEN_TTL.
    Returns the token (shown once) and its row (with `expiry`)."""
    row, token = get_token_model().objects.create(user=user)
    return token, row


def sign_out_everywhere(*, user: User, keep_session_key: str | None = None) -> None:
    """End every browser session and revoke every API token of `user` (but the session
    `keep_session_key`, when given). Used by "Sign out everywhere", on a password change and on
    deactivation."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    forget_sessions(list(sessions.values_list("session_key", flat=True)))
    sessions.delete()
    get_token_model().objects.filter(user=user).delete()


# --- Access: clinic admins turn a person's access off and on (safeguard 14) ------------------


def access_set_active(
    *,
    actor: User,
    active: bool,
    user: User | None = None,
    patient: Patient | None = None,
    request=None,
) -> None:
    """A clinic admin turns a staff member's or a patient's access off or on.

    Off: the person can no longer sign in, every browser session and API token of theirs ends
    at once, and their pending invitation links stop working; a patient also leaves the patient
    list and the portal. On: they sign in again as before (patients keep their programs and
    logs). Admins act only on their own clinic's people, never on themselves, and the clinic
    keeps at least one active admin. Every change is written to the audit trail.
    """
    if (user is None) == (patient is None):
        raise TypeError("access_set_active() takes a user or a patient.")
    if not (actor.is_clinic_admin and actor.is_active):
        raise ValidationError(_("Only a clinic admin can change who has access."))
    clinic_id = actor.clinic_id
    if patient is not None:
        user = patient.user
        if patient.clinic_id != clinic_id:
            raise ValidationError(_("This patient is not at your clinic."))
    elif user.clinic_id != clinic_id or not user.is_clinic_staff:
        raise ValidationError(_("This person is not on your clinic's team."))
    with transaction.atomic():
        if user is not None and not active:
            if user.pk == actor.pk:
                raise ValidationError(_("You cannot deactivate your own account."))
            if user.role == Role.ADMIN:
                admins = list(
                    User.objects.select_for_update()
                    .filter(clinic_id=clinic_id, role=Role.ADMIN, is_active=True)
                    .values_list("pk", flat=True)
                )
                if set(admins) <= {user.pk}:
                    raise ValidationError(_("The clinic needs at least one active admin."))
        if user is not None:
            User.objects.filter(pk=user.pk).update(is_active=active)
            user.is_active = active
        if patient is not None:
            Patient.objects.filter(pk=patient.pk).update(is_active=active)
            patient.is_active = active
        if not active:
            if patient is not None:
                patient_invitations_revoke(patient=patient)
            if user is not None:
                sign_out_everywhere(user=user)
        record_event(
            action=AuditAction.ACCESS,
            request=request,
            actor=actor,
            clinic=clinic_id,
            obj=patient if patient is not None else user,
            patient=patient,
            detail="reactivated" if active else "deactivated",
        )
