"""The audit trail's writer and its guarantees: append-only and tenant-isolated."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from clinic.audit import record_event
from clinic.models import AuditAction, AuditEvent


def test_an_event_names_who_what_whose_and_where(therapist, patient):
    request = RequestFactory().get(f"/patients/{patient.pk}/", REMOTE_ADDR="192.0.2.7")
    request.user = therapist

    event = record_event(action=AuditAction.VIEW, request=request, obj=patient)

    assert (event.actor, event.actor_role, event.clinic_id) == (
        therapist,
        "therapist",
        patient.clinic_id,
    )
    assert (event.object_type, event.object_id) == ("clinic.patient", str(patient.pk))
    assert event.patient == patient
    assert (event.ip, event.path) == ("192.0.2.7", f"/patients/{patient.pk}/")


def test_events_cannot_be_changed_or_deleted(therapist, patient):
    event = record_event(action=AuditAction.VIEW, actor=therapist, obj=patient)

    event.detail = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_clinic_admins_read_only_their_clinics_events(
    clinic_admin, therapist, patient, other_clinic_therapist
):
    mine = record_event(action=AuditAction.VIEW, actor=therapist, obj=patient)
    record_event(action=AuditAction.SIGN_IN, actor=other_clinic_therapist)

    assert list(AuditEvent.objects.for_user(clinic_admin)) == [mine]
    assert not AuditEvent.objects.for_user(therapist).exists()
    assert not AuditEvent.objects.for_user(patient.user).exists()


def test_an_unknown_action_is_a_programming_error(therapist):
    with pytest.raises(ValueError):
        record_event(action="peeked", actor=therapist)
