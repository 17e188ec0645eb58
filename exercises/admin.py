"""Platform staff curate the shared library here (clinic empty); clinics use the app's pages.

Exercises have no delete: once a program uses one it must stay, so it is archived instead.
Disclaimer versions are read-only once published: a change is a new version.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from exercises import services
from exercises.forms import LinesField, https_by_default
from exercises.models import (
    BodyRegion,
    Disclaimer,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
    ProgressionStep,
)

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OwnerFilter(admin.SimpleListFilter):
    title = _("catalog")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("library", _("Shared library")), ("clinic", _("Clinics"))]

    def queryset(self, request, queryset):
        if self.value() == "library":
            return queryset.filter(clinic__isnull=True)
        if self.value() == "clinic":
            return queryset.filter(clinic__isnull=False)
        return queryset


@admin.register(BodyRegion)
class BodyRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ["name", "body_region", "slug"]
    list_filter = ["body_region"]
    search_fields = ["name"]
    list_select_related = ["body_region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "clinic", "purchase_url"]
    list_filter = [OwnerFilter, "clinic"]
    search_fields = ["name", "slug"]
    list_select_related = ["clinic"]
    prepopulated_fields = {"slug": ["name"]}


class ExerciseAdminForm(forms.ModelForm):
    instructions = LinesField(label=_("Steps"), help_text=_("One step per line, in order."))
    cues = LinesField(label=_("Form and safety cues"), required=False, help_text=_("One per line."))

    class Meta:
        model = Exercise
        formfield_callback = https_by_default
        fields = [
            "clinic",
            "name",
            "slug",
            "summary",
            "position",
            "starting_position",
            "instructions",
            "cues",
            "body_regions",
            "muscles",
            "equipment",
            "difficulty",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "per_side",
            "video_url",
            "image",
            "image_alt",
            "video",
            "video_poster",
            "is_active",
            "copied_from",
        ]

    def clean(self):
        cleaned = super().clean()
        clinic = cleaned.get("clinic")
        for item in cleaned.get("equipment") or []:
            if item.clinic_id is not None and item.clinic_id != getattr(clinic, "pk", None):
                self.add_error(
                    "equipment", _("Choose equipment from the library or the same clinic.")
                )
                break
        return cleaned


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    form = ExerciseAdminForm
    list_display = ["name", "clinic", "position", "difficulty", "is_active", "updated_at"]
    list_filter = [OwnerFilter, "is_active", "position", "difficulty", "clinic"]
    search_fields = ["name", "slug", "summary"]
    list_select_related = ["clinic"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["body_regions", "muscles", "equipment"]
    raw_id_fields = ["copied_from"]
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        # Programs keep the exercises they prescribed: archive (untick "active") instead.
        return False


class ProgressionStepInline(admin.TabularInline):
    model = ProgressionStep
    fields = ["position", "exercise", "advance_when"]
    raw_id_fields = ["exercise"]
    extra = 1
    ordering = ["position"]


@admin.register(ProgressionSeries)
class ProgressionSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "clinic", "updated_at"]
    list_filter = [OwnerFilter, "clinic"]
    search_fields = ["name", "slug"]
    list_select_related = ["clinic"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgressionStepInline]

    def save_formset(self, request, form, formset, change):
        """Store the steps in the order of the positions typed, as 1..n.

        Saving rows one by one could break the unique position (or exercise) of a step on
        the way when two are swapped, so the series' steps are replaced as a whole; nothing
        refers to a step's row.
        """
        if formset.model is not ProgressionStep:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        kept = [
            f.instance
            for f in formset.forms
            if f.cleaned_data and not formset._should_delete_form(f)
        ]
        kept.sort(key=lambda step: step.position)
        services.series_steps_replace(
            series=form.instance, steps=[(step.exercise, step.advance_when) for step in kept]
        )
        return None


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "clinic", "version", "published_at"]
    list_filter = [OwnerFilter, "kind", "clinic"]
    search_fields = ["title", "body"]
    list_select_related = ["clinic"]
    fields = ["clinic", "kind", "title", "body", "version", "published_at", "published_by"]
    readonly_fields = ["version", "published_at", "published_by"]

    def has_change_permission(self, request, obj=None):
        # Published versions are read-only; a change is published as a new version.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Patients' acceptances point at the exact version they accepted.
        return False

    def save_model(self, request, obj, form, change):
        published = services.disclaimer_publish(
            clinic=obj.clinic,
            kind=obj.kind,
            title=obj.title,
            body=obj.body,
            published_by=request.user,
        )
        obj.pk = published.pk
        obj.version = published.version
        obj.published_at = published.published_at
        obj.published_by = published.published_by
