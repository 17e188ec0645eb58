"""What the outcome-measure endpoints send and accept."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.output import OutputSerializer, caller
from programs.measures.models import MAX_EVERY_WEEKS, Instrument, MeasureAssignment, MeasureResponse


class InstrumentSerializer(OutputSerializer):
    shared = serializers.SerializerMethodField()
    definition = serializers.JSONField(
        read_only=True, help_text="The instrument as data (docs/measures-format.md)."
    )

    class Meta:
        model = Instrument
        fields = [
            "id",
            "slug",
            "version",
            "name",
            "short_name",
            "is_current",
            "shared",
            "definition",
        ]
        read_only_fields = fields

    def get_shared(self, instrument) -> bool:
        return instrument.clinic_id is None


class InstrumentSummarySerializer(OutputSerializer):
    class Meta:
        model = Instrument
        fields = ["id", "slug", "version", "name", "short_name"]
        read_only_fields = fields


class ResponseSerializer(OutputSerializer):
    subscale_scores = serializers.DictField(
        child=serializers.FloatField(allow_null=True), read_only=True
    )
    answers = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    activities = serializers.ListField(child=serializers.CharField(), read_only=True)
    change = serializers.SerializerMethodField()

    class Meta:
        model = MeasureResponse
        fields = [
            "id",
            "answered_on",
            "score",
            "subscale_scores",
            "answered_count",
            "activities",
            "answers",
            "change",
        ]
        read_only_fields = fields

    def get_change(self, response) -> float | None:
        """Change from the patient's first score of this instrument (staff views only)."""
        return self.context.get("changes", {}).get(response.pk)


class SeriesSummarySerializer(serializers.Serializer):
    first_score = serializers.FloatField(source="first.score", allow_null=True, default=None)
    latest_score = serializers.FloatField(source="latest.score", allow_null=True, default=None)
    change = serializers.FloatField(allow_null=True)
    mcid = serializers.FloatField()
    status = serializers.CharField(
        allow_null=True,
        help_text="Against the MCID: improved, within, worse (null: not enough scores).",
    )


class AssignmentSerializer(OutputSerializer):
    instrument = InstrumentSummarySerializer(read_only=True)
    results = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = MeasureAssignment
        fields = [
            "id",
            "instrument",
            "starts_on",
            "every_weeks",
            "at_discharge",
            "next_due_on",
            "stopped_at",
            "created_at",
            "results",
            "summary",
        ]
        read_only_fields = fields

    def _series(self, assignment):
        return self.context.get("series", {}).get(
            (assignment.instrument.clinic_id, assignment.instrument.slug)
        )

    @extend_schema_field(ResponseSerializer(many=True))
    def get_results(self, assignment):
        series = self._series(assignment)
        points = [
            p
            for p in (series.points if series else [])
            if p.response.assignment_id == assignment.pk
        ]
        changes = {p.response.pk: p.change for p in points}
        return ResponseSerializer(
            [p.response for p in points], many=True, context={"changes": changes}
        ).data

    @extend_schema_field(SeriesSummarySerializer(allow_null=True))
    def get_summary(self, assignment):
        series = self._series(assignment)
        return SeriesSummarySerializer(series).data if series else None


class AssignmentWriteSerializer(serializers.Serializer):
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.none(),
        error_messages={"does_not_exist": _("Choose a measure of your clinic's list.")},
    )
    starts_on = serializers.DateField()
    every_weeks = serializers.IntegerField(
        min_value=1, max_value=MAX_EVERY_WEEKS, required=False, allow_null=True
    )
    at_discharge = serializers.BooleanField(default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = caller(self)
        if user is not None and user.is_authenticated:
            self.fields["instrument"].queryset = Instrument.objects.visible_to_clinic(
                user.clinic_id
            ).current()


class MyAssignmentSerializer(OutputSerializer):
    """A questionnaire the patient is asked to answer, with what is needed to answer it."""

    instrument = InstrumentSerializer(read_only=True)
    due = serializers.SerializerMethodField()
    carried_activities = serializers.SerializerMethodField()

    class Meta:
        model = MeasureAssignment
        fields = ["id", "instrument", "next_due_on", "due", "carried_activities"]
        read_only_fields = fields

    def get_due(self, assignment) -> bool:
        return assignment.is_due(self.context["today"])

    def get_carried_activities(self, assignment) -> list[str]:
        """Activities named at the first round (PSFS-style): rate these, do not name new ones."""
        return self.context["carried"](assignment)


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=10000, help_text="The instrument version shown to the patient."
    )
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=-1000, max_value=1000, allow_null=True),
        allow_empty=False,
        help_text='Item id -> value, e.g. {"now": 3}; null or left out = not answered.',
    )
    activities = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        required=False,
        max_length=10,
        help_text="First round of a PSFS-style instrument: the activities named.",
    )
