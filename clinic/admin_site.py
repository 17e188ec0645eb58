from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Platform administration")
    site_title = _("Platform administration")

    def has_permission(self, request):
        # Clinic admins manage their clinic in the app's own pages, never here.
        return request.user.is_active and request.user.is_superuser


class PlatformAdminConfig(AdminConfig):
    """The Django admin, open to platform staff (superusers) only."""

    default_site = "clinic.admin_site.PlatformAdminSite"
