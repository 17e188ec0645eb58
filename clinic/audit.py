"""The audit trail (HIPAA 164.312(b)): every view, change and export of patient data, and every
sign-in, sign-out and failed sign-in, becomes one `AuditEvent`.

How it is written, from one place:
- `AuditMiddleware` opens a note for each request and, once the response is ready, writes at
  most one event from it (`record_event`, the one writer): one INSERT per request that touched
  patient data, none otherwise.
- The note is filled by the few places every access already passes through, never by single
  views: `clinic.permissions.get_for_user` (every object a page fetches by id),
  `portal.gate.patient_for_request` (the patient's own pages and /api/v1/me/), the API's
  `AuditedObjectMixin`, the Django admin's `AuditedAdminMixin`, and the receivers below for
  saved and deleted patient data, sign-in, sign-out and failed sign-in.
- When a request does several things, the strongest is kept (a deletion beats a change beats
  a view), so a request is one line in the trail.

Outside a request (management commands, the shell) nothing is noted.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clinic.models import AuditAction, AuditEvent, Patient

# The rows that are a patient's data (by app label, so this lowest app imports none of them).
PATIENT_DATA_MODELS = {
    "clinic.patient",
    "clinic.invitation",  # a patient's invitation names them; a staff one changes access
    "programs.program",
    "programs.programitem",
    "programs.exerciselog",
    "programs.paincheck",
    "programs.disclaimeracceptance",
}

# When one request does several things, the event keeps the strongest.
STRENGTH = {
    AuditAction.VIEW: 1,
    AuditAction.EXPORT: 2,
    AuditAction.CHANGE: 3,
    AuditAction.CREATE: 4,
    AuditAction.DELETE: 5,
    AuditAction.ACCESS: 6,
    AuditAction.SIGN_IN_FAILED: 7,
    AuditAction.SIGN_OUT: 8,
    AuditAction.SIGN_IN: 9,
}


@dataclass
class Note:
    action: str
    object_type: str = ""
    object_id: str = ""
    patient_id: int | None = None
    clinic_id: int | None = None
    actor: object = None
    detail: str = ""


class _Pending:
    """What the current request did so far (at most one note survives)."""

    def __init__(self):
        self.note: Note | None = None

    def offer(self, note: Note) -> None:
        """Keep the strongest action; its detail also names what the others said ("signed
        out everywhere" survives the sign-out it caused)."""
        if self.note is None:
            self.note = note
            return
        winner, other = (
            (note, self.note)
            if STRENGTH[note.action] > STRENGTH[self.note.action]
            else (self.note, note)
        )
        if other.detail and other.detail not in winner.detail:
            winner.detail = "; ".join(part for part in (winner.detail, other.detail) if part)
        self.note = winner


_pending: ContextVar[_Pending | None] = ContextVar("audit_pending", default=None)


def _client_address(request) -> str | None:
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: str,
    request=None,
    actor=None,
    clinic=None,
    obj: models.Model | None = None,
    patient: Patient | int | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
) -> AuditEvent | None:
    """Write one event, or, inside a request (`request` given, under AuditMiddleware), offer
    it as the request's note so that a request still writes one event at most: the strongest
    of what it did. `actor` defaults to the request's signed-in user, `clinic` to the
    object's, the patient's or the actor's, and `patient` to `obj` when it is a Patient;
    `patient` may be a row or its id."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if patient is None and isinstance(obj, Patient):
        patient = obj
    clinic_id = getattr(clinic, "pk", clinic)
    if clinic_id is None:
        clinic_id = (
            getattr(obj, "clinic_id", None)
            or getattr(patient, "clinic_id", None)
            or getattr(actor, "clinic_id", None)
        )
    object_type = obj._meta.label_lower if obj is not None else object_type
    object_id = str(obj.pk) if obj is not None else object_id
    pending = _pending.get() if request is not None else None
    if pending is not None:
        # Inside a request the middleware writes its one event after the response.
        pending.offer(
            Note(
                action=action,
                object_type=object_type,
                object_id=object_id,
                patient_id=getattr(patient, "pk", patient),
                clinic_id=clinic_id,
                actor=actor,
                detail=detail,
            )
        )
        return None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_role=getattr(actor, "role", "") or ("platform" if actor is not None else ""),
        clinic_id=clinic_id,
        object_type=object_type,
        object_id=object_id,
        patient_id=getattr(patient, "pk", patient),
        ip=_client_address(request) if request is not None else None,
        path=request.path[:300] if request is not None else "",
        detail=detail[:300],
    )


# --- Noting what a request does ---------------------------------------------------------------


def patient_id_of(obj) -> int | None:
    """Whose data `obj` is, without a query where the row already knows."""
    if isinstance(obj, Patient):
        return obj.pk
    if getattr(obj, "patient_id", None) is not None:
        return obj.patient_id
    program = getattr(obj, "program", None)  # a program item: its program's patient
    return getattr(program, "patient_id", None)


def is_patient_data(obj) -> bool:
    return obj is not None and obj._meta.label_lower in PATIENT_DATA_MODELS


def note(action: str, *, obj=None, model=None, patient_id=None, actor=None, detail="") -> None:
    """Tell the current request's audit note what happened (no query; the middleware writes)."""
    pending = _pending.get()
    if pending is None:
        return
    if obj is not None:
        model = type(obj)
    pending.offer(
        Note(
            action=action,
            object_type=model._meta.label_lower if model is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            patient_id=patient_id if patient_id is not None else patient_id_of(obj),
            clinic_id=getattr(obj, "clinic_id", None),
            actor=actor,
            detail=detail,
        )
    )


def note_read(obj) -> None:
    """A page or endpoint showed `obj`; noted only when it is a patient's data."""
    if is_patient_data(obj):
        note(AuditAction.VIEW, obj=obj)


def note_list(model, detail: str = "list") -> None:
    """A page or endpoint listed rows of `model` (a patient list, a program list)."""
    note(AuditAction.VIEW, model=model, detail=detail)


def note_export(model, detail: str = "") -> None:
    note(AuditAction.EXPORT, model=model, detail=detail)


class AuditMiddleware:
    """Opens the request's note and writes its one event after the response (place it after
    AuthenticationMiddleware). Server errors write nothing: their changes were not made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = _Pending()
        token = _pending.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        found = pending.note
        if found is not None and response.status_code < 500:
            user = getattr(request, "user", None)
            actor = found.actor or (user if user is not None and user.is_authenticated else None)
            record_event(
                action=found.action,
                request=request,
                actor=actor,
                clinic=found.clinic_id,
                patient=found.patient_id,
                object_type=found.object_type,
                object_id=found.object_id,
                detail=found.detail,
            )
        return response


# --- Receivers: changes to patient data, sign-in and sign-out ---------------------------------


@receiver(post_save, dispatch_uid="audit_patient_data_saved")
def _patient_data_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and is_patient_data(instance):
        note(AuditAction.CREATE if created else AuditAction.CHANGE, obj=instance)


@receiver(post_delete, dispatch_uid="audit_patient_data_deleted")
def _patient_data_deleted(sender, instance, **kwargs):
    if is_patient_data(instance):
        note(AuditAction.DELETE, obj=instance)


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender, request, user, **kwargs):
    note(AuditAction.SIGN_IN, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        note(AuditAction.SIGN_OUT, actor=user, detail=getattr(request, "logout_reason", ""))


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request=None, username=None, **kwargs):
    user = get_user_model().objects.filter(email__iexact=username).first() if username else None
    note(AuditAction.SIGN_IN_FAILED, actor=user, detail="locked out")


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The account tried, when there is one (so its clinic's admins see it); never the address
    # typed in, which may be someone else's.
    email = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    note(AuditAction.SIGN_IN_FAILED, actor=user)
