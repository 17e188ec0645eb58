"""The one permission layer for pages: who may open a view, by role.

Which *rows* a user may see is decided by the querysets' `for_user(user)` (clinic/querysets.py);
`get_for_user` fetches one of them or answers 404, so another clinic's ids look like unknown ids.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clinic import audit
from clinic.models import Role


def user_has_role(user, roles) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.clinic_id is not None
        and user.role in roles
    )


def role_required(*roles):
    """Anonymous visitors go to the sign-in page; signed-in users of another role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.ADMIN, Role.THERAPIST)
admin_required = role_required(Role.ADMIN)
patient_required = role_required(Role.PATIENT)


def get_for_user(model_or_queryset, user, **lookup):
    """One row the user may see, or 404: the only way views fetch clinic data by id.

    Takes a model or a queryset (to add select_related and the like) whose `for_user` applies.
    """
    queryset = (
        model_or_queryset._default_manager.all()
        if isinstance(model_or_queryset, type)
        else model_or_queryset
    )
    found = get_object_or_404(queryset.for_user(user), **lookup)
    audit.note_read(found)  # a patient's data shown: one line in the audit trail
    return found
