"""Who may call which endpoint, by role: the web's rule (clinic/permissions.py), written once.

Which *rows* a caller may touch is not decided here but by the models' `for_user(user)` and
`editable_by(user)` querysets, exactly as in the web views, so another clinic's ids answer 404.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from clinic.models import Role
from clinic.permissions import user_has_role
from programs import gate


class HasRole(BasePermission):
    """Anonymous callers get 401 (DRF's NotAuthenticated); signed-in users of another role 403."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, self.roles)


class IsClinicStaff(HasRole):
    roles = (Role.ADMIN, Role.THERAPIST)


class IsClinicAdmin(HasRole):
    roles = (Role.ADMIN,)


class IsPatient(HasRole):
    roles = (Role.PATIENT,)


class StaffReadsAdminWrites(BasePermission):
    """The catalog: every clinic staff member reads it; only clinic admins change it."""

    def has_permission(self, request, view) -> bool:
        roles = IsClinicStaff.roles if request.method in SAFE_METHODS else IsClinicAdmin.roles
        return user_has_role(request.user, roles)


class DisclaimerAccepted(gate.DisclaimerAccepted):
    """The portal's disclaimer gate (programs.gate), with a code apps can act on."""

    code = "disclaimer_required"
