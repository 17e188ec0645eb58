from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from clinic import audit
from clinic.models import AuditEvent, Clinic, Invitation, Patient, User
from clinic.services import sign_out_everywhere


class AuditedAdminMixin:
    """Platform staff reading a patient's data in the Django admin leave the same trail as
    clinic staff (changes are noted by the model receivers in clinic/audit.py)."""

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is not None:
            audit.note_read(found)
        return found

    def changelist_view(self, request, extra_context=None):
        audit.note_list(self.model)
        return super().changelist_view(request, extra_context)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "clinic", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser", "clinic"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["clinic"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "clinic", "role"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "clinic", "role", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # As when a clinic admin deactivates someone: signed out everywhere at once.
            sign_out_everywhere(user=obj)


@admin.register(Patient)
class PatientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "clinic", "primary_therapist", "is_active", "created_at"]
    list_filter = ["clinic", "is_active"]
    search_fields = ["first_name", "last_name", "email"]
    list_select_related = ["clinic", "primary_therapist"]
    raw_id_fields = ["user", "primary_therapist"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "clinic", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["clinic", "role"]
    search_fields = ["email"]
    list_select_related = ["clinic"]
    raw_id_fields = ["patient", "invited_by"]
    readonly_fields = ["created_at", "accepted_at", "revoked_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Platform staff read every clinic's trail; nobody adds, changes or deletes a line."""

    list_display = [
        "created_at",
        "clinic",
        "actor",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "patient",
        "ip",
    ]
    list_filter = ["action", "actor_role", "clinic"]
    search_fields = ["actor__email", "object_id", "path"]
    list_select_related = ["clinic", "actor", "patient"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # no COUNT(*) over the whole trail on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
