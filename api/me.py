"""The patient's own endpoints (/api/v1/me/...): today's exercises, programs, logs, morning
pain checks and the medical disclaimer.

The portal's rules apply unchanged: everything but the disclaimer endpoints waits until the
current medical disclaimer is accepted (`programs.gate`), check-offs and undo go through
`programs.portal_services` (one log per item, day and session: posting again updates it),
and the days come from `programs.portal_selectors`, in the clinic's time zone.
"""

from datetime import date

from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.conventions import ETagMixin, OutputSerializer, caller
from api.filters import UpdatedAfterFilter
from api.permissions import DisclaimerAccepted, IsPatient
from api.programs import DOSAGE_FIELDS, WeekdaysField
from clinic.models import Patient
from exercises.models import Disclaimer, Exercise
from programs import portal_selectors, portal_services
from programs.gate import current_medical_disclaimer, patient_for_request
from programs.models import (
    MAX_REPS,
    MAX_SETS,
    ComparedToBefore,
    DisclaimerAcceptance,
    ExerciseLog,
    PainCheck,
    Program,
    ProgramItem,
)
from programs.models import Difficulty as LogDifficulty

# --- Serializers -----------------------------------------------------------------------------


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
    session = serializers.IntegerField(required=False, min_value=1, max_value=6)
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
    session = serializers.IntegerField(required=False, min_value=1, max_value=6)

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


# --- Views -----------------------------------------------------------------------------------


class PatientView:
    """The signed-in patient, who has accepted the current medical disclaimer."""

    permission_classes = [IsPatient, DisclaimerAccepted]

    def patient(self) -> Patient:
        return patient_for_request(self.request)

    def today(self) -> date:
        return self.patient().clinic.today()


class TodayView(PatientView, GenericAPIView):
    """Today's exercises (or a missed day's, up to a week back), by program and session."""

    serializer_class = DayPlanSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "day",
                date,
                description="A day of the last week (default: today in the clinic's time zone).",
            )
        ]
    )
    def get(self, request):
        today = self.today()
        day = today
        if "day" in request.query_params:
            field = serializers.DateField()
            try:
                day = field.run_validation(request.query_params["day"])
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"day": error.detail}) from None
            earliest, latest = portal_services.log_window(today)
            if not earliest <= day <= latest:
                raise serializers.ValidationError(
                    {"day": [_("Choose a day of the last week, up to today.")]}
                )
        plan = portal_selectors.day_plan_for_patient(self.patient(), day)
        return Response(
            DayPlanSerializer(
                {
                    "day": plan.day,
                    "has_active_program": plan.has_active_program,
                    "total": plan.total,
                    "done": plan.done,
                    "entries": plan.entries,
                }
            ).data
        )


class MyProgramViewSet(PatientView, ETagMixin, viewsets.ReadOnlyModelViewSet):
    """My active programs with their current exercises."""

    serializer_class = MyProgramSerializer
    filter_backends = []

    def get_queryset(self):
        current = ProgramItem.objects.current().select_related("exercise").order_by("position")
        return (
            Program.objects.for_user(self.request.user)
            .select_related("therapist")
            .prefetch_related(Prefetch("items", queryset=current, to_attr="current_items"))
            .order_by("start_date", "pk")
        )


class MyLogFilter(filters.FilterSet):
    performed_from = filters.DateFilter(field_name="performed_on", lookup_expr="gte")
    performed_to = filters.DateFilter(field_name="performed_on", lookup_expr="lte")
    updated_after = UpdatedAfterFilter()


class MyLogViewSet(
    PatientView,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """My check-offs. POST records one (again for the same exercise, day and session updates
    it, never a second row); DELETE takes back today's."""

    serializer_class = MyLogSerializer
    filterset_class = MyLogFilter
    ordering_fields = ["performed_on", "updated_at"]
    ordering = ["-performed_on", "-session", "-pk"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseLog.objects.none()
        return ExerciseLog.objects.filter(patient=self.patient()).select_related(
            "program_item__exercise"
        )

    def get_serializer_class(self):
        return {
            "create": LogWriteSerializer,
            "partial_update": LogUpdateSerializer,
            "undo": LogKeySerializer,
        }.get(self.action, MyLogSerializer)

    def _record(self, item, performed_on, session, values):
        log = portal_services.exercise_log_record(
            patient=self.patient(),
            item=item,
            performed_on=performed_on,
            session=session,
            today=self.today(),
            **values,
        )
        return ExerciseLog.objects.select_related("program_item__exercise").get(pk=log.pk)

    @extend_schema(
        request=LogWriteSerializer,
        responses={201: MyLogSerializer, 200: MyLogSerializer},
        description="201 when a new log was made, 200 when an existing one was updated.",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        item = values.pop("program_item")
        performed_on = values.pop("performed_on", None) or self.today()
        session = values.pop("session", 1)
        existed = ExerciseLog.objects.filter(
            program_item=item, performed_on=performed_on, session=session
        ).exists()
        log = self._record(item, performed_on, session, values)
        return Response(
            MyLogSerializer(log).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(request=LogUpdateSerializer, responses={200: MyLogSerializer})
    def partial_update(self, request, *args, **kwargs):
        log = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        log = self._record(
            log.program_item, log.performed_on, log.session, serializer.validated_data
        )
        return Response(MyLogSerializer(log).data)

    @extend_schema(responses={204: OpenApiResponse(description="Check-off taken back.")})
    def destroy(self, request, *args, **kwargs):
        """Take back one of today's check-offs (earlier days are your therapist's record)."""
        log = self.get_object()
        portal_services.exercise_log_undo(
            patient=self.patient(),
            item=log.program_item,
            performed_on=log.performed_on,
            session=log.session,
            today=self.today(),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LogKeySerializer, responses={200: UndoResultSerializer})
    def undo(self, request, *args, **kwargs):
        """Take back today's check-off of an exercise and session; undoing twice is harmless."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        undone = portal_services.exercise_log_undo(
            patient=self.patient(),
            item=data["program_item"],
            performed_on=data.get("performed_on") or self.today(),
            session=data.get("session", 1),
            today=self.today(),
        )
        return Response({"undone": undone})


class MyPainCheckViewSet(
    PatientView, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """This morning's pain check (the morning after exercise) and the earlier ones. Answering
    again the same day updates that day's check."""

    serializer_class = PainCheckSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PainCheck.objects.none()
        return (
            PainCheck.objects.filter(patient=self.patient())
            .select_related("program")
            .order_by("-checked_on", "-pk")
        )

    def get_serializer_class(self):
        return PainCheckWriteSerializer if self.action == "create" else PainCheckSerializer

    @extend_schema(request=PainCheckWriteSerializer, responses={201: PainCheckSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = portal_services.pain_check_record(
            patient=self.patient(), today=self.today(), **serializer.validated_data
        )
        return Response(PainCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class MyDisclaimerView(GenericAPIView):
    """The clinic's current medical disclaimer and whether I accepted it. Open before the
    gate: this is where the patient accepts it."""

    permission_classes = [IsPatient]
    serializer_class = DisclaimerStatusSerializer
    pagination_class = None
    filter_backends = []

    def _status(self, patient):
        current = current_medical_disclaimer(patient.clinic_id)
        acceptance = (
            DisclaimerAcceptance.objects.filter(patient=patient, disclaimer=current).first()
            if current
            else None
        )
        return {
            "current": current,
            "accepted": current is None or acceptance is not None,
            "accepted_at": acceptance.accepted_at if acceptance else None,
        }

    def get(self, request):
        patient = patient_for_request(request)
        return Response(DisclaimerStatusSerializer(self._status(patient)).data)

    @extend_schema(request=DisclaimerAcceptSerializer, responses={200: DisclaimerStatusSerializer})
    def post(self, request):
        """Accept the version read. A version published meanwhile must be read first (400)."""
        patient = patient_for_request(request)
        serializer = DisclaimerAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        disclaimer = (
            Disclaimer.objects.visible_to_clinic(patient.clinic_id)
            .filter(pk=serializer.validated_data["disclaimer"])
            .first()
        )
        if disclaimer is None:
            raise serializers.ValidationError({"disclaimer": [_("No such disclaimer.")]})
        portal_services.disclaimer_accept(
            patient=patient,
            disclaimer=disclaimer,
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(DisclaimerStatusSerializer(self._status(patient)).data)


urlpatterns = [
    path("today/", TodayView.as_view(), name="me-today"),
    path("disclaimer/", MyDisclaimerView.as_view(), name="me-disclaimer"),
    path("programs/", MyProgramViewSet.as_view({"get": "list"}), name="me-program-list"),
    path(
        "programs/<int:pk>/",
        MyProgramViewSet.as_view({"get": "retrieve"}, detail=True),
        name="me-program-detail",
    ),
    path(
        "logs/",
        MyLogViewSet.as_view({"get": "list", "post": "create"}),
        name="me-log-list",
    ),
    path("logs/undo/", MyLogViewSet.as_view({"post": "undo"}), name="me-log-undo"),
    path(
        "logs/<int:pk>/",
        MyLogViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}, detail=True
        ),
        name="me-log-detail",
    ),
    path(
        "pain-checks/",
        MyPainCheckViewSet.as_view({"get": "list", "post": "create"}),
        name="me-pain-check-list",
    ),
]
