"""Outcome measures in the API: the instruments (staff), a patient's assignments and results
(staff: list, assign, stop), and the patient's own questionnaires (what is due, answering).

Every write goes through programs.measures.services, the same functions as the web pages.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.me.views import PatientView
from api.measures.serializers import (
    AnswerSerializer,
    AssignmentSerializer,
    AssignmentWriteSerializer,
    InstrumentSerializer,
    MyAssignmentSerializer,
    ResponseSerializer,
)
from api.permissions import IsClinicStaff
from clinic.models import Patient
from programs.measures import selectors, services
from programs.measures.models import Instrument, MeasureAssignment


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The measures a clinic can assign: the shared library's and its own (current versions
    in the list; any version by id)."""

    permission_classes = [IsClinicStaff]
    serializer_class = InstrumentSerializer
    filter_backends = []

    def get_queryset(self):
        rows = Instrument.objects.for_user(self.request.user).order_by("short_name", "pk")
        return rows.current() if self.action == "list" else rows


PATIENT_PK = OpenApiParameter("patient_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema(parameters=[PATIENT_PK])
@extend_schema_view(
    create=extend_schema(request=AssignmentWriteSerializer, responses={201: AssignmentSerializer})
)
class PatientMeasureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """One patient's measures: assignments with their results, change from the first score
    and the MCID status."""

    permission_classes = [IsClinicStaff]
    serializer_class = AssignmentSerializer
    filter_backends = []

    def get_patient(self) -> Patient:
        if not hasattr(self, "_patient"):
            self._patient = get_object_or_404(
                Patient.objects.for_user(self.request.user), pk=self.kwargs["patient_pk"]
            )
        return self._patient

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MeasureAssignment.objects.none()
        return (
            MeasureAssignment.objects.for_user(self.request.user)
            .filter(patient=self.get_patient())
            .select_related("instrument")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return AssignmentWriteSerializer if self.action == "create" else AssignmentSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve") and not getattr(self, "swagger_fake_view", False):
            context["series"] = {
                (s.instrument.clinic_id, s.instrument.slug): s
                for s in selectors.patient_measure_series(self.get_patient())
            }
        return context

    def _read(self, assignment, code=status.HTTP_200_OK):
        series = {
            (s.instrument.clinic_id, s.instrument.slug): s
            for s in selectors.patient_measure_series(assignment.patient)
        }
        assignment = self.get_queryset().get(pk=assignment.pk)
        return Response(
            AssignmentSerializer(assignment, context={"series": series}).data, status=code
        )

    def create(self, request, *args, **kwargs):
        patient = self.get_patient()
        serializer = AssignmentWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assignment = services.assignment_create(
            patient=patient, assigned_by=request.user, **serializer.validated_data
        )
        return self._read(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def stop(self, request, *args, **kwargs):
        """Stop asking (answers already sent stay)."""
        assignment = self.get_object()
        services.assignment_stop(assignment=assignment)
        return self._read(assignment)


class MyMeasureViewSet(PatientView, viewsets.ReadOnlyModelViewSet):
    """My questionnaires: each with the instrument to answer, whether it is due today, and
    activities carried from the first round."""

    serializer_class = MyAssignmentSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            MeasureAssignment.objects.for_user(self.request.user)
            .select_related("instrument")
            .order_by("next_due_on", "pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["today"] = self.today()
        context["carried"] = services.carried_activities
        return context

    @extend_schema(
        request=AnswerSerializer,
        responses={
            201: OpenApiResponse(ResponseSerializer, description="Answers sent and scored.")
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """Send every answer at once; checked and scored like the portal's pages. Any invalid
        answer (out of range, unknown item, another version) saves nothing."""
        assignment = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        response = services.response_record(
            assignment=assignment,
            version=data["version"],
            answers=data["answers"],
            activities=data.get("activities"),
            today=self.today(),
        )
        return Response(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)
