"""Who sees which program rows (`for_user`), and the named sets of rows the rules need.

Staff see their clinic's rows through the direct `clinic` column every row carries. A
signed-in patient sees only their own rows of their *active* programs, while the clinic keeps
them active: a paused, completed or draft program, its exercises and its logs are hidden from
the portal and from /api/v1/me/ alike.
"""

from django.db import models

from clinic.querysets import ClinicScopedQuerySet
from programs.choices import ProgramStatus


def _own_active_programs(user, prefix: str = "") -> models.Q:
    """The patient's own active programs, seen from a row that reaches Program via `prefix`."""
    return models.Q(
        **{
            f"{prefix}patient__user": user,
            f"{prefix}patient__is_active": True,
            f"{prefix}status": ProgramStatus.ACTIVE,
        }
    )


class ProgramQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(_own_active_programs(user), clinic_id=user.clinic_id)

    def active(self):
        return self.filter(status=ProgramStatus.ACTIVE)

    def of_patient(self, patient):
        """One patient's programs, whatever their status (the clinic's column first)."""
        return self.filter(clinic_id=patient.clinic_id, patient=patient)

    def active_of_patient(self, patient):
        """The programs a patient follows now: the portal shows these and nothing else."""
        return self.of_patient(patient).active()


class ProgramItemQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(_own_active_programs(user, "program__"), clinic_id=user.clinic_id)

    def current(self):
        """Items in force now; retired ones stay for the record."""
        return self.filter(retired_at__isnull=True)


class ExerciseLogQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(
            _own_active_programs(user, "program_item__program__"), clinic_id=user.clinic_id
        )

    def completed(self):
        return self.filter(completed=True)


class PainCheckQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(_own_active_programs(user, "program__"), clinic_id=user.clinic_id)


class DisclaimerAcceptanceQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(clinic_id=user.clinic_id, patient__user=user, patient__is_active=True)


class ReminderSettingsQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        return self.filter(clinic_id=user.clinic_id, patient__user=user, patient__is_active=True)


class AttentionReviewQuerySet(ClinicScopedQuerySet):
    """Staff notes about the dashboard: patients see none of them (the default)."""


class PatientStatusQuerySet(ClinicScopedQuerySet):
    """The stored status of each patient: staff of the clinic read it, patients do not."""

    def needing_attention(self):
        """Rows with at least one reason no review hides, most serious first."""
        return self.filter(top_rank__isnull=False).order_by(
            "top_rank", "-reason_count", "patient__last_name", "patient_id"
        )

    def due(self, now, clinic):
        """Rows of `clinic` whose figures are old: a clock change (a new day, an invitation's
        age) or a new low-adherence threshold in the clinic's settings."""
        return self.for_clinic(clinic).filter(
            models.Q(stale_after__lte=now)
            | ~models.Q(adherence_threshold=clinic.low_adherence_below)
        )
