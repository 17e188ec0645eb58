"""Two-step sign-in (HIPAA 164.312(d)): after the password, staff enter a 6-digit code from an
authenticator app (TOTP, django-otp) or one of ten one-time recovery codes.

Who must use it: platform staff when `TWO_STEP_FOR_PLATFORM_STAFF` is on (always in
production); a clinic's admins when the clinic requires it for admins or for all staff;
therapists when it requires it for all staff. Patients never. Anyone who has set it up is
asked for a code at every sign-in, required or not.
"""

import re
from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from clinic.audit import record_event
from clinic.models import AuditAction, Role, User

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
# After this many wrong codes in a row the answer says how long to wait (django-otp doubles
# the wait after each failure: 1, 2, 4, 8 ... seconds).
FAILURES_BEFORE_WAIT_MESSAGE = 3


class Step(models.TextChoices):
    """What a signed-in session still owes, kept in the session at sign-in."""

    NONE = "none"
    VERIFY = "verify"  # has an authenticator: enter a code
    ENROL = "enrol"  # must use two-step but has not set it up yet


SESSION_KEY = "two_step"


def can_use_two_step(user) -> bool:
    """Staff and platform staff can set up two-step sign-in; patients never need it."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.clinic_id is not None and user.role in Role.staff_roles()))
    )


def two_step_required(user) -> bool:
    """Whether this person must sign in with two steps (see the module docstring)."""
    if not can_use_two_step(user):
        return False
    if user.clinic_id is None:
        return bool(settings.TWO_STEP_FOR_PLATFORM_STAFF)
    clinic = user.clinic
    if user.role == Role.ADMIN:
        return clinic.require_two_step_admins or clinic.require_two_step_staff
    return clinic.require_two_step_staff


def two_step_enabled(user) -> bool:
    return user_has_device(user, confirmed=True)


def two_step_state(user) -> str:
    """What a fresh sign-in of this user still owes: a code, setting up, or nothing."""
    if not can_use_two_step(user):
        return Step.NONE
    if two_step_enabled(user):
        return Step.VERIFY
    if two_step_required(user):
        return Step.ENROL
    return Step.NONE


def with_two_step_enabled(users: models.QuerySet) -> models.QuerySet:
    """Annotate `two_step_enabled` on each user without a query per row (team page)."""
    return users.annotate(
        two_step_enabled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


# --- Setting up --------------------------------------------------------------------------------


def setup_key_new() -> str:
    """A new random secret (hex) for an authenticator app, not saved until confirmed."""
    return default_key()


def setup_device(*, user: User, key: str) -> TOTPDevice:
    """The unsaved authenticator device for a secret: its `config_url` goes in the QR code."""
    return TOTPDevice(user=user, key=key, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_for_manual_entry(key: str) -> str:
    """The secret as authenticator apps ask for it when typed: base32, in groups of four."""
    secret = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalize_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _is_app_code(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", code))


@transaction.atomic
def two_step_enrol(*, user: User, key: str, code: str, request=None) -> tuple[Device, list[str]]:
    """Confirm an authenticator app with a code it shows, replacing any earlier app, and make
    a fresh set of recovery codes (returned to be shown once)."""
    if not can_use_two_step(user):
        raise PermissionDenied
    code = normalize_code(code)
    device = setup_device(user=user, key=key)
    device.save()
    if not _is_app_code(code) or not device.verify_token(code):
        # The atomic block drops the unconfirmed device again.
        raise ValidationError(
            {
                "code": _(
                    "That code does not match. Enter the 6-digit code your authenticator app "
                    "shows for this account now (it changes every 30 seconds), and check that "
                    "your phone's clock is right."
                )
            }
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_create(user=user)
    record_event(
        action=AuditAction.ACCESS,
        request=request,
        actor=user,
        obj=user,
        detail="two-step sign-in set up",
    )
    return device, codes


@transaction.atomic
def recovery_codes_create(*, user: User, request=None) -> list[str]:
    """Replace the user's recovery codes with ten new ones; each works once."""
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    if request is not None:
        record_event(
            action=AuditAction.ACCESS,
            request=request,
            actor=user,
            obj=user,
            detail="two-step recovery codes replaced",
        )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Signing in --------------------------------------------------------------------------------


def _wait_message(devices: list[Device]) -> str | None:
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed and (info or {}).get("failure_count", 0) >= FAILURES_BEFORE_WAIT_MESSAGE:
            return _("Too many wrong codes in a row. Wait a minute, then enter the newest code.")
    return None


def two_step_verify(*, user: User, code: str, request=None) -> Device:
    """The device that accepts this code: a 6-digit code from the authenticator app, or a
    recovery code, which is used up. Wrong codes slow down further tries (django-otp's
    throttling), so guessing is hopeless, and each is a failed sign-in in the audit trail.
    Raises ValidationError with a plain message."""
    code = normalize_code(code)
    kind = TOTPDevice if _is_app_code(code) else StaticDevice
    with transaction.atomic():
        devices = [
            device for device in devices_for_user(user, for_verify=True) if isinstance(device, kind)
        ]
        for device in devices:
            if device.verify_token(code):
                return device
    record_event(
        action=AuditAction.SIGN_IN_FAILED,
        request=request,
        actor=user,
        obj=user,
        detail="wrong two-step code",
    )
    raise ValidationError(
        {
            "code": _wait_message(devices)
            or _(
                "That code is not right. Enter the 6-digit code your authenticator app shows "
                "now, or one of your recovery codes (each works once)."
            )
        }
    )


def recovery_code_notice(user: User) -> str:
    left = recovery_codes_left(user)
    return ngettext(
        "You signed in with a recovery code; %(count)d is left. Make new ones on the "
        "two-step sign-in page.",
        "You signed in with a recovery code; %(count)d are left. Make new ones on the "
        "two-step sign-in page if you are running low.",
        left,
    ) % {"count": left}


# --- Lost device -------------------------------------------------------------------------------


@transaction.atomic
def two_step_reset(*, member: User, by: User, request=None) -> None:
    """Another admin of the same clinic removes a member's authenticator app and recovery
    codes (a lost phone). Never your own: that would let a stolen password switch it off.
    The member sets it up again at their next sign-in when the clinic requires it."""
    if not by.is_clinic_admin or member.clinic_id != by.clinic_id or not member.is_clinic_staff:
        raise PermissionDenied
    if member.pk == by.pk:
        raise ValidationError(
            _(
                "You cannot reset your own two-step sign-in. Ask another admin of your "
                "clinic, or use one of your recovery codes."
            )
        )
    for device in list(devices_for_user(member, confirmed=None)):
        device.delete()
    record_event(
        action=AuditAction.ACCESS,
        request=request,
        actor=by,
        obj=member,
        detail="two-step sign-in reset",
    )
