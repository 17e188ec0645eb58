"""Who sees which catalog rows: the shared library (clinic NULL) plus the user's own clinic.

Catalog rows differ from other clinic data in one way: a row without a clinic belongs to the
shared library, which every clinic's staff may read but none may change. Views fetch catalog
rows only through `for_user(user)` (read) or `editable_by(user)` (write), so another clinic's
ids answer 404 exactly like unknown ids.
"""

from django.db import models
from django.utils import timezone

from clinic.querysets import ClinicScopedQuerySet


def _is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class CatalogQuerySet(ClinicScopedQuerySet):
    """Rows with a nullable `clinic`: NULL is the shared library."""

    def library(self):
        return self.filter(clinic__isnull=True)

    def owned_by_clinics(self):
        return self.filter(clinic__isnull=False)

    def visible_to_clinic(self, clinic):
        """The library plus one clinic's own rows (clinic may be an instance or an id)."""
        clinic_id = getattr(clinic, "pk", clinic)
        return self.filter(models.Q(clinic__isnull=True) | models.Q(clinic_id=clinic_id))

    def for_user(self, user):
        """Clinic staff read the library and their clinic's rows; nobody else reads here.

        Patients get nothing: the patient portal reads catalog rows through its programs.
        """
        if _is_active_user(user) and user.is_clinic_staff:
            return self.visible_to_clinic(user.clinic_id)
        return self.none()

    def editable_by(self, user):
        """Only a clinic admin changes rows, and only their own clinic's; never the library."""
        if _is_active_user(user) and user.is_clinic_admin:
            return self.for_clinic(user.clinic_id)
        return self.none()


class ExerciseQuerySet(CatalogQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, text: str):
        """Every word must match the name, a muscle or a body region (case-insensitive)."""
        from exercises.models import Exercise

        query = models.Q()
        for word in text.split():
            muscles = Exercise.muscles.through.objects.filter(
                exercise=models.OuterRef("pk"), muscle__name__icontains=word
            )
            regions = Exercise.body_regions.through.objects.filter(
                exercise=models.OuterRef("pk"), bodyregion__name__icontains=word
            )
            query &= (
                models.Q(name__icontains=word) | models.Exists(muscles) | models.Exists(regions)
            )
        return self.filter(query)

    def with_catalog_relations(self):
        """Everything a list or detail page shows, in a fixed number of queries."""
        return self.select_related("clinic", "copied_from").prefetch_related(
            "muscles", "body_regions", "equipment"
        )


class DisclaimerQuerySet(CatalogQuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_force_for(self, clinic):
        """The versions a clinic may show now, the current one of each kind first: the
        clinic's own newest published version, else the newest default. The one rule behind
        "the current disclaimer", also usable as a subquery (`clinic` may be an OuterRef)."""
        return (
            self.visible_to_clinic(clinic)
            .filter(published_at__lte=timezone.now())
            .order_by("kind", models.F("clinic").desc(nulls_last=True), "-version")
        )
