"""What the program endpoints send and accept: programs, items, logs and templates."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from api.catalog.serializers import ExerciseSummarySerializer
from api.output import OutputSerializer, caller
from clinic.models import Patient, User
from exercises.models import Exercise
from programs import dosage
from programs.choices import AttentionKind
from programs.models import (
    MAX_LOAD,
    ExerciseLog,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramTemplateItem,
)
from programs.reminder_rules import validate_reminder_time
from programs.schedule import mask_to_weekdays, weekdays_to_mask


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
        "example": "08:00:00",
        "description": "A wall-clock time in the patient's time zone, HH:MM[:SS].",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A local time of day without a zone (OpenAPI's `format: time` would demand an offset).
    A zone or fractions sent anyway are dropped: reminders are to the minute, local time."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        return parsed.replace(second=0, microsecond=0, tzinfo=None)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 0, "maximum": 6},
        "minItems": 1,
        "maxItems": 7,
        "uniqueItems": True,
        "description": "Days of the week, Monday = 0.",
    }
)
class WeekdaysField(serializers.ListField):
    """Days of the week as numbers, Monday = 0 (stored as a bit mask, as the web form does)."""

    child = serializers.IntegerField(min_value=0, max_value=6)

    def to_internal_value(self, data):
        return weekdays_to_mask(super().to_internal_value(data))

    def to_representation(self, mask):
        return mask_to_weekdays(mask)


class StepSerializer(serializers.Serializer):
    """A neighbouring step of an item's progression series."""

    exercise = ExerciseSummarySerializer(read_only=True)
    advance_when = serializers.CharField(read_only=True)


class ReadinessSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[("ready", "ready"), ("ease_off", "ease_off")])
    evidence = serializers.CharField()


class ProgressionSerializer(serializers.Serializer):
    series = serializers.CharField(source="current.series.name", read_only=True)
    previous = StepSerializer(read_only=True, allow_null=True)
    next = StepSerializer(read_only=True, allow_null=True)


DOSAGE_FIELDS = list(dosage.DOSAGE_FIELDS)


def load_amount_field():
    # Declared because the model's MinValueValidator(0.1) is a float, which DRF warns about.
    return serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=MAX_LOAD,
        required=False,
        allow_null=True,
    )


class ProgramItemSerializer(OutputSerializer):
    exercise = ExerciseSummarySerializer(read_only=True)
    dosage_text = serializers.CharField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    progression = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField()

    class Meta:
        model = ProgramItem
        fields = [
            "id",
            "program",
            "exercise",
            "position",
            *DOSAGE_FIELDS,
            "dosage_text",
            "is_current",
            "created_at",
            "retired_at",
            "replaces",
            "progression",
            "readiness",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressionSerializer(allow_null=True))
    def get_progression(self, item):
        """The easier and harder steps of a current item's series (items endpoints only)."""
        neighbours = self.context.get("neighbours", {}).get(item.exercise_id)
        if not item.is_current or neighbours is None or neighbours.current is None:
            return None
        return ProgressionSerializer(neighbours).data

    @extend_schema_field(ReadinessSerializer(allow_null=True))
    def get_readiness(self, item):
        """“ready” (to progress) or “ease_off”, with the evidence from the logs, for a current
        item of an active program; null when the logs suggest nothing. Never applied by
        itself: progress or regress the item to act on it."""
        readiness = self.context.get("readiness", {}).get(item.pk)
        if readiness is None:
            return None
        return {"status": readiness.status, "evidence": readiness.evidence}


class ProgramItemCreateSerializer(serializers.ModelSerializer):
    """An exercise of the library or the clinic; the dosage defaults to the catalog's."""

    exercise = serializers.PrimaryKeyRelatedField(queryset=Exercise.objects.none())
    load_amount = load_amount_field()

    class Meta:
        model = ProgramItem
        fields = ["exercise", *DOSAGE_FIELDS]
        extra_kwargs = {field: {"required": False} for field in DOSAGE_FIELDS}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = Exercise.objects.for_user(caller(self))


class ProgramItemUpdateSerializer(serializers.ModelSerializer):
    load_amount = load_amount_field()

    class Meta:
        model = ProgramItem
        fields = DOSAGE_FIELDS
        validators = []


class ItemMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class ProgramSerializer(OutputSerializer):
    reminder_time = WallClockTimeField(read_only=True, allow_null=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    therapist_name = serializers.CharField(source="therapist.get_full_name", read_only=True)
    weekdays = WeekdaysField(read_only=True)
    schedule_text = serializers.CharField(read_only=True)
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "patient",
            "patient_name",
            "therapist",
            "therapist_name",
            "template",
            "title",
            "notes",
            "status",
            "start_date",
            "end_date",
            "weekdays",
            "sessions_per_day",
            "max_pain",
            "reminder_time",
            "schedule_text",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProgramDetailSerializer(ProgramSerializer):
    items = ProgramItemSerializer(source="current_items", many=True, read_only=True)

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "items"]
        read_only_fields = fields


class ProgramUpdateSerializer(serializers.ModelSerializer):
    weekdays = WeekdaysField(required=False)
    reminder_time = WallClockTimeField(
        required=False, allow_null=True, validators=[validate_reminder_time]
    )
    therapist = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False)

    class Meta:
        model = Program
        fields = [
            "title",
            "notes",
            "start_date",
            "end_date",
            "weekdays",
            "sessions_per_day",
            "max_pain",
            "reminder_time",
            "therapist",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clinic = getattr(caller(self), "clinic_id", None)
        self.fields["therapist"].queryset = User.objects.for_clinic(clinic).staff()


class ProgramCreateSerializer(ProgramUpdateSerializer):
    """A draft program for one of the clinic's patients, empty or filled from a template.
    The therapist defaults to the caller; the start date to the clinic's today."""

    patient = serializers.PrimaryKeyRelatedField(queryset=Patient.objects.none())
    template = serializers.PrimaryKeyRelatedField(
        queryset=ProgramTemplate.objects.none(), required=False, allow_null=True
    )

    class Meta(ProgramUpdateSerializer.Meta):
        fields = ["patient", "template", *ProgramUpdateSerializer.Meta.fields]
        extra_kwargs = {"start_date": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = caller(self)
        self.fields["patient"].queryset = Patient.objects.for_user(user)
        self.fields["template"].queryset = ProgramTemplate.objects.for_user(user)


class TemplateItemSerializer(OutputSerializer):
    exercise = ExerciseSummarySerializer(read_only=True)
    dosage_text = serializers.CharField(read_only=True)

    class Meta:
        model = ProgramTemplateItem
        fields = ["id", "exercise", "position", *DOSAGE_FIELDS, "dosage_text"]
        read_only_fields = fields


class TemplateSerializer(OutputSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)
    is_shared = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProgramTemplate
        fields = ["id", "name", "slug", "description", "is_shared", "items", "updated_at"]
        read_only_fields = fields


class TemplateFromProgramSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ExerciseLogSerializer(OutputSerializer):
    exercise = ExerciseSummarySerializer(source="program_item.exercise", read_only=True)
    program = serializers.IntegerField(source="program_item.program_id", read_only=True)

    class Meta:
        model = ExerciseLog
        fields = [
            "id",
            "program",
            "program_item",
            "exercise",
            "performed_on",
            "session",
            "completed",
            "sets_done",
            "reps_done",
            "pain",
            "difficulty",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AdherenceSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    completed = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    is_adherent = serializers.BooleanField()


# --- Oversight: the dashboard's reasons, readiness of items ---------------------------------


class AttentionReasonSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttentionKind.choices)
    label = serializers.CharField()
    evidence = serializers.CharField(help_text=_("The evidence in one line."))
    raised_at = serializers.DateTimeField(
        help_text=_("The newest data behind the reason: a later review hides it.")
    )
    program = serializers.IntegerField(source="program_id", allow_null=True)


class AttentionPatientSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()
    primary_therapist = serializers.IntegerField(source="primary_therapist_id", allow_null=True)


class AttentionRowSerializer(serializers.Serializer):
    patient = AttentionPatientSerializer()
    reasons = AttentionReasonSerializer(many=True)
    hidden = serializers.IntegerField(
        source="hidden_count",
        help_text=_("Reasons marked reviewed and not raised again since."),
    )


class AttentionRowPageSerializer(serializers.Serializer):
    """One page of the dashboard, as every list of the API pages."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AttentionRowSerializer(many=True)


class AttentionReviewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttentionKind.choices)
    reviewed_at = serializers.DateTimeField(read_only=True)
    reviewed_by = serializers.IntegerField(source="reviewed_by_id", read_only=True)
