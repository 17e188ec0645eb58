"""The one tenant filter: every view and API endpoint reads clinic data through these.

`for_user(user)` returns only what that user may see. Anything outside answers 404 in the
views (they fetch through `get_object_or_404(Model.objects.for_user(user), ...)`), so the
existence of another clinic's rows is never revealed.
"""

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models


class ClinicScopedQuerySet(models.QuerySet):
    """Rows with a direct `clinic` foreign key, visible to the staff of that clinic."""

    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_clinic_staff:
            return self.for_clinic(user.clinic_id)
        return self.none()


class PatientQuerySet(ClinicScopedQuerySet):
    def for_user(self, user):
        if getattr(user, "is_authenticated", False) and user.is_active and user.is_patient:
            return self.filter(user=user, clinic_id=user.clinic_id)
        return super().for_user(user)

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
