"""The one tenant filter: every view and API endpoint reads clinic data through these.

`Model.objects.for_user(user)` returns only what that user may see. Anything outside answers
404 in the views (they fetch through `get_for_user`), so the existence of another clinic's
rows is never revealed.

Clinic staff see their clinic's rows (`for_clinic`). A signed-in patient sees only what a
model's `for_patient_user` allows (by default nothing); the portal's models allow the
patient's own rows of their active programs. Platform staff work in the Django admin and see
nothing here.
"""

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_signed_in_staff(user) -> bool:
    return is_signed_in(user) and user.is_clinic_staff


def is_signed_in_patient(user) -> bool:
    return is_signed_in(user) and user.is_patient


class ClinicScopedQuerySet(models.QuerySet):
    """Rows with a direct `clinic` foreign key, visible to the staff of that clinic."""

    def for_clinic(self, clinic):
        """One clinic's rows (clinic may be an instance or an id)."""
        return self.filter(clinic_id=getattr(clinic, "pk", clinic))

    def for_user(self, user):
        if is_signed_in_staff(user):
            return self.for_clinic(user.clinic_id)
        if is_signed_in_patient(user):
            return self.for_patient_user(user)
        return self.none()

    def for_patient_user(self, user):
        """What a signed-in patient may see of these rows: nothing unless the model says so."""
        return self.none()


class PatientQuerySet(ClinicScopedQuerySet):
    def for_patient_user(self, user):
        """A patient sees their own row, while the clinic keeps them active."""
        return self.filter(clinic_id=user.clinic_id, user=user, is_active=True)

    def active(self):
        return self.filter(is_active=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        query = models.Q()
        for word in text.split():
            query &= (
                models.Q(first_name__icontains=word)
                | models.Q(last_name__icontains=word)
                | models.Q(email__icontains=word)
            )
        return self.filter(query)


class AuditEventQuerySet(ClinicScopedQuerySet):
    """The audit trail: a clinic's admins read their clinic's events; nobody changes them."""

    def for_user(self, user):
        if is_signed_in_staff(user) and user.is_clinic_admin:
            return self.for_clinic(user.clinic_id)
        return self.none()

    def update(self, **kwargs):
        raise TypeError("Audit events are never changed.")

    def delete(self):
        raise TypeError("Audit events are never deleted.")


class UserQuerySet(ClinicScopedQuerySet):
    def staff(self):
        from clinic.models import Role

        return self.filter(role__in=Role.staff_roles(), is_active=True)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """Users sign in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """Platform staff: superusers without a clinic, who work in the Django admin."""
        extra_fields.update(is_staff=True, is_superuser=True, clinic=None, role="")
        return self._create_user(email, password, **extra_fields)
