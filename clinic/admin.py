from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Invitation, Patient, User
from clinic.services import sign_out_everywhere


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
class PatientAdmin(admin.ModelAdmin):
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
