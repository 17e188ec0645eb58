"""The patient's own endpoints (/api/v1/me/...): today's exercises, programs, logs, morning
pain checks and the medical disclaimer.

The portal's rules apply unchanged: everything but the disclaimer endpoints waits until the
current medical disclaimer is accepted (`portal.gate`), check-offs and undo go through
`portal.services` (one log per item, day and session: posting again updates it), the days
come from `portal.selectors`, in the clinic's time zone, and every row comes through its
`for_user` (the patient's own rows of their active programs).
"""

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.etags import ETagMixin
from api.filters import UpdatedAfterFilter
from api.me.serializers import (
    DayPlanSerializer,
    DisclaimerAcceptSerializer,
    DisclaimerStatusSerializer,
    LogKeySerializer,
    LogUpdateSerializer,
    LogWriteSerializer,
    MyLogSerializer,
    MyProgramSerializer,
    PainCheckSerializer,
    PainCheckWriteSerializer,
    ReminderSettingsSerializer,
    UndoResultSerializer,
)
from api.permissions import DisclaimerAccepted, IsActivePatient
from clinic.models import Patient
from portal import selectors as portal_selectors
from portal import services as portal_services
from portal.days import log_window
from portal.gate import current_medical_disclaimer, patient_for_request
from portal.reminders import reminder_time_default
from programs.models import (
    DisclaimerAcceptance,
    ExerciseLog,
    PainCheck,
    Program,
    ProgramItem,
)


class PatientView:
    """The signed-in patient, who has accepted the current medical disclaimer."""

    permission_classes = [IsActivePatient, DisclaimerAccepted]

    def patient(self) -> Patient:
        return patient_for_request(self.request)  # IsActivePatient made sure there is one

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
            earliest, latest = log_window(today)
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
        return ExerciseLog.objects.for_user(self.request.user).select_related(
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
    @action(detail=False, methods=["post"])
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
            PainCheck.objects.for_user(self.request.user)
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

    permission_classes = [IsActivePatient]
    serializer_class = DisclaimerStatusSerializer
    pagination_class = None
    filter_backends = []

    def _status(self, patient):
        current = current_medical_disclaimer(patient.clinic_id)
        acceptance = (
            DisclaimerAcceptance.objects.for_user(self.request.user)
            .filter(disclaimer=current)
            .first()
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
        portal_services.disclaimer_accept(
            patient=patient,
            disclaimer_id=serializer.validated_data["disclaimer"],
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response(DisclaimerStatusSerializer(self._status(patient)).data)


class MyRemindersView(PatientView, GenericAPIView):
    """My reminder settings (the portal's Reminders page). PUT or PATCH changes any of them."""

    serializer_class = ReminderSettingsSerializer
    pagination_class = None
    filter_backends = []

    def get_object(self):
        # One row per patient, no id in the URL; OPTIONS (DRF's metadata) asks for it.
        return portal_services.reminder_settings_of(self.patient())

    def _data(self, patient):
        current = portal_services.reminder_settings_of(patient)
        return ReminderSettingsSerializer(
            {
                "enabled": current.enabled,
                "time": current.time,
                "by_email": current.by_email,
                "by_push": current.by_push,
                "timezone": current.timezone,
                "default_time": reminder_time_default(patient),
                "clinic_timezone": patient.clinic.timezone,
            }
        ).data

    def get(self, request):
        return Response(self._data(self.patient()))

    def _change(self, request):
        serializer = ReminderSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = self.patient()
        portal_services.reminder_settings_update(patient=patient, **serializer.validated_data)
        return Response(self._data(patient))

    def put(self, request):
        return self._change(request)

    def patch(self, request):
        return self._change(request)
