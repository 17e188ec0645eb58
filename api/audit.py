"""The API's part of the audit trail (clinic/audit.py): a patient's data read through a viewset,
one object or a list, is noted for the request's one audit event. Changes are noted by the
model receivers, the patient's own endpoints by `portal.gate.patient_for_request`."""

from clinic import audit


class AuditedMixin:
    def get_object(self):
        found = super().get_object()
        audit.note_read(found)
        return found

    def list(self, request, *args, **kwargs):
        model = getattr(getattr(self.get_serializer_class(), "Meta", None), "model", None)
        if model is not None:
            audit.note_list(model)
        return super().list(request, *args, **kwargs)
