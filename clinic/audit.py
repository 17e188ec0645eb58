"""The audit trail's one writer (HIPAA 164.312(b)): every view, change and export of patient
data, and every sign-in, sign-out and failed sign-in, becomes one `AuditEvent`.

Call `record_event` from the one place that knows an access happened (a middleware, a signal
receiver, a service), never from scattered views.
"""

from django.db import models

from clinic.models import AuditAction, AuditEvent, Patient


def _client_address(request) -> str | None:
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: str,
    request=None,
    actor=None,
    clinic=None,
    obj: models.Model | None = None,
    patient: Patient | None = None,
    detail: str = "",
) -> AuditEvent:
    """Write one event. `actor` defaults to the request's signed-in user, `clinic` to the
    actor's, and `patient` to `obj` when it is a Patient."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if patient is None and isinstance(obj, Patient):
        patient = obj
    clinic_id = getattr(clinic, "pk", clinic)
    if clinic_id is None:
        clinic_id = getattr(actor, "clinic_id", None) or getattr(patient, "clinic_id", None)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_role=getattr(actor, "role", "") or ("platform" if actor is not None else ""),
        clinic_id=clinic_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        patient=patient,
        ip=_client_address(request) if request is not None else None,
        path=request.path[:300] if request is not None else "",
        detail=detail[:300],
    )
