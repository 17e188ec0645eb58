"""What the patient's own endpoints send and accept."""

import zoneinfo

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.output import OutputSerializer, caller
from api.programs.serializers import DOSAGE_FIELDS, WallClockTimeField, WeekdaysField
from exercises.models import Disclaimer, Exercise
from programs.models import (
    MAX_REPS,
    MAX_SESSIONS_PER_DAY,
    MAX_SETS,
    ComparedToBefore,
    ExerciseLog,
    PainCheck,
    Program,
    ProgramItem,
)
from programs.models import Difficulty as LogDifficulty


class PatientExerciseSerializer(OutputSerializer):
    """An exercise as the patient reads it: what to do and what to watch."""

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "summary",
            "position",
            "starting_position",
            "instructions",
            "cues",
            "per_side",
            "video_url",
        ]
        read_only_fields = fields


class MyItemSerializer(OutputSerializer):
    exercise = PatientExerciseSerializer(read_only=True)
    dosage_text = serializers.CharField(read_only=True)

    class Meta:
        model = ProgramItem
        fields = ["id", "program", "exercise", "position", *DOSAGE_FIELDS, "dosage_text"]
        read_only_fields = fields


class MyLogSerializer(OutputSerializer):
    program = serializers.IntegerField(source="program_item.program_id", read_only=True)
    exercise_name = serializers.CharField(source="program_item.exercise.name", read_only=True)

    class Meta:
        model = ExerciseLog
        fields = [
            "id",
            "program",
            "program_item",
            "exercise_name",
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


class MyProgramSerializer(OutputSerializer):
    therapist_name = serializers.CharField(source="therapist.get_full_name", read_only=True)
    weekdays = WeekdaysField(read_only=True)
    schedule_text = serializers.CharField(read_only=True)
    items = MyItemSerializer(source="current_items", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "title",
            "notes",
            "therapist_name",
            "start_date",
            "end_date",
            "weekdays",
            "sessions_per_day",
            "max_pain",
            "schedule_text",
            "items",
            "updated_at",
        ]
        read_only_fields = fields


class EntryLogSerializer(OutputSerializer):
    """A log inside a day's entry (the entry names the exercise already)."""

    class Meta:
        model = ExerciseLog
        fields = [
            "id",
            "performed_on",
            "session",
            "completed",
            "sets_done",
            "reps_done",
            "pain",
            "difficulty",
            "note",
            "updated_at",
        ]
        read_only_fields = fields


class EntrySerializer(serializers.Serializer):
    """One exercise in one session of the day, with the log if it was checked off."""

    program = serializers.IntegerField(source="item.program_id")
    program_title = serializers.CharField(source="item.program.title")
    session = serializers.IntegerField()
    item = MyItemSerializer()
    is_done = serializers.BooleanField()
    log = EntryLogSerializer(allow_null=True)


class DayPlanSerializer(serializers.Serializer):
    day = serializers.DateField()
    has_active_program = serializers.BooleanField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    entries = EntrySerializer(many=True)


class LogWriteSerializer(serializers.Serializer):
    """A check-off. Only the fields sent change; a new log starts as done with the prescribed
    sets and repetitions. The day defaults to today (clinic time), the session to 1."""

    program_item = serializers.PrimaryKeyRelatedField(queryset=ProgramItem.objects.none())
    performed_on = serializers.DateField(required=False)
    session = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SESSIONS_PER_DAY)
    completed = serializers.BooleanField(required=False)
    sets_done = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SETS
    )
    reps_done = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_REPS
    )
    pain = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10)
    difficulty = serializers.ChoiceField(
        choices=LogDifficulty.choices, required=False, allow_blank=True, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "program_item" in self.fields:
            self.fields["program_item"].queryset = ProgramItem.objects.for_user(caller(self))


class LogUpdateSerializer(LogWriteSerializer):
    """Change a log's values; its exercise, day and session stay."""

    program_item = None
    performed_on = None
    session = None


class LogKeySerializer(serializers.Serializer):
    """Which check-off to take back: the exercise, the day (today only) and the session."""

    program_item = serializers.PrimaryKeyRelatedField(queryset=ProgramItem.objects.none())
    performed_on = serializers.DateField(required=False)
    session = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SESSIONS_PER_DAY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_item"].queryset = ProgramItem.objects.for_user(caller(self))


class UndoResultSerializer(serializers.Serializer):
    undone = serializers.BooleanField(help_text=_("False when there was nothing to undo."))


class PainCheckSerializer(OutputSerializer):
    needs_attention = serializers.BooleanField(read_only=True)

    class Meta:
        model = PainCheck
        fields = [
            "id",
            "program",
            "checked_on",
            "pain_now",
            "compared_to_before",
            "needs_attention",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PainCheckWriteSerializer(serializers.Serializer):
    pain_now = serializers.IntegerField(min_value=0, max_value=10)
    compared_to_before = serializers.ChoiceField(choices=ComparedToBefore.choices)


class MedicalDisclaimerSerializer(OutputSerializer):
    class Meta:
        model = Disclaimer
        fields = ["id", "kind", "title", "body", "version", "published_at"]
        read_only_fields = fields


class DisclaimerStatusSerializer(serializers.Serializer):
    current = MedicalDisclaimerSerializer(
        allow_null=True, help_text=_("Null when the clinic has none to accept.")
    )
    accepted = serializers.BooleanField()
    accepted_at = serializers.DateTimeField(allow_null=True)


class DisclaimerAcceptSerializer(serializers.Serializer):
    disclaimer = serializers.IntegerField(
        min_value=1, help_text=_("The id of the version read (the current one).")
    )


class ReminderSettingsSerializer(serializers.Serializer):
    """My reminders. `time` empty means the therapist's default (`default_time`); `timezone`
    empty means the clinic's (`clinic_timezone`). Never between 21:00 and 07:00."""

    enabled = serializers.BooleanField(required=False)
    time = WallClockTimeField(required=False, allow_null=True)
    by_email = serializers.BooleanField(required=False)
    by_push = serializers.BooleanField(required=False)
    timezone = serializers.ChoiceField(
        choices=[""] + sorted(zoneinfo.available_timezones()), required=False, allow_blank=True
    )
    default_time = WallClockTimeField(read_only=True, allow_null=True)
    clinic_timezone = serializers.CharField(read_only=True)
