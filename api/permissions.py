"""Who may call which endpoint, by role: the web's rule (clinic/permissions.py), written once.

Which *rows* a caller may touch is not decided here but by the models' `for_user(user)` and
`editable_by(user)` querysets, exactly as in the web views, so another clinic's ids answer 404.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission

from clinic.models import Role
from clinic.permissions import user_has_role
from portal.gate import has_accepted_current_disclaimer, patient_for_request


class HasRole(BasePermission):
    """Anonymous callers get 401 (DRF's NotAuthenticated); signed-in users of another role 403."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, self.roles)


class IsClinicStaff(HasRole):
    roles = (Role.ADMIN, Role.THERAPIST)


class IsClinicAdmin(HasRole):
    roles = (Role.ADMIN,)


class IsActivePatient(HasRole):
    """A patient the clinic keeps active (the portal's `patient_gate`): once the clinic makes
    them inactive, their session or token is refused with 401, as if signed out."""

    roles = (Role.PATIENT,)

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if patient_for_request(request) is None:
            raise AuthenticationFailed(_("Your clinic has closed your account."))
        return True


class StaffReadsAdminWrites(BasePermission):
    """The catalog: every clinic staff member reads it; only clinic admins change it."""

    def has_permission(self, request, view) -> bool:
        roles = IsClinicStaff.roles if request.method in SAFE_METHODS else IsClinicAdmin.roles
        return user_has_role(request.user, roles)


class DisclaimerAccepted(BasePermission):
    """The portal's disclaimer gate (`portal.gate`): a patient must have accepted the current
    medical disclaimer first; staff pass through (combine with a role permission)."""

    message = _("Please read and accept the current medical disclaimer in the portal first.")
    code = "disclaimer_required"

    def has_permission(self, request, view) -> bool:
        if not user_has_role(request.user, (Role.PATIENT,)):
            return True
        patient = patient_for_request(request)
        return patient is not None and has_accepted_current_disclaimer(patient)
