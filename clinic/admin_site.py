from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Platform administration")
    site_title = _("Platform administration")

    def has_permission(self, request):
        # Clinic admins manage their clinic in the app's own pages, never here.
        user = request.user
        if not (user.is_active and user.is_superuser):
            return False
        # Behind two-step sign-in when platform staff must use it (always in production).
        verified = getattr(user, "is_verified", None)
        return not settings.TWO_STEP_FOR_PLATFORM_STAFF or bool(verified and verified())


class PlatformAdminConfig(AdminConfig):
    """The Django admin, open to platform staff (superusers) only."""

    default_site = "clinic.admin_site.PlatformAdminSite"
