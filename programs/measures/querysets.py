"""Who sees which outcome-measure rows.

Instruments follow the catalog's rule (the shared library plus the clinic's own, for staff).
Assignments and responses carry their clinic; a patient sees only their own, while the
clinic keeps them active, and only assignments that are not stopped.
"""

from django.db import models

from clinic.querysets import ClinicScopedQuerySet
from exercises.querysets import CatalogQuerySet


class InstrumentQuerySet(CatalogQuerySet):
    def current(self):
        return self.filter(is_current=True)


class MeasureAssignmentQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(
            clinic_id=user.clinic_id,
            patient__user=user,
            patient__is_active=True,
            stopped_at__isnull=True,
        )

    def open(self):
        return self.filter(stopped_at__isnull=True)

    def of_patient(self, patient):
        return self.filter(clinic_id=patient.clinic_id, patient=patient)

    def due_on(self, day):
        """Open assignments asked for by `day` (a questionnaire started and not sent counts)."""
        from programs.measures.models import MeasureResponse

        started = MeasureResponse.objects.filter(
            assignment=models.OuterRef("pk"), submitted_at__isnull=True
        )
        return self.open().filter(models.Q(next_due_on__lte=day) | models.Exists(started))


class MeasureResponseQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(clinic_id=user.clinic_id, patient__user=user, patient__is_active=True)

    def of_patient(self, patient):
        return self.filter(clinic_id=patient.clinic_id, patient=patient)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)
