"""The clinic's patients, for therapists and clinic admins: list and search, add (which
e-mails an invitation, as on the web), read and change."""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api.audit import AuditedMixin
from api.etags import ETagMixin
from api.patients.filters import PatientFilter
from api.patients.serializers import PatientSerializer, PatientWriteSerializer
from api.permissions import IsClinicAdmin, IsClinicStaff
from api.programs.serializers import AttentionReviewSerializer
from clinic.models import Invitation, Patient
from clinic.services import (
    access_set_active,
    invitation_send,
    patient_create,
    patient_invitation_create,
    patient_update,
)
from clinic.site import site_url
from programs.selectors import patients_for_list
from programs.services import attention_review_record


@extend_schema_view(
    create=extend_schema(
        request=PatientWriteSerializer,
        responses={201: PatientSerializer},
        description="Add a patient and e-mail them an invitation to set a password.",
    ),
    partial_update=extend_schema(
        request=PatientWriteSerializer, responses={200: PatientSerializer}
    ),
)
class PatientViewSet(
    AuditedMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsClinicStaff]
    serializer_class = PatientSerializer
    filterset_class = PatientFilter
    ordering_fields = [
        "last_name",
        "first_name",
        "created_at",
        "last_activity",
        "adherence_7",
        "adherence_30",
        "attention_rank",
    ]
    ordering = ["last_name", "first_name", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        pending = Invitation.objects.pending().filter(patient=OuterRef("pk"))
        return patients_for_list(
            Patient.objects.for_user(self.request.user)
            .select_related("clinic")
            .annotate(invitation_pending=Exists(pending))
        )

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PatientWriteSerializer
        return PatientSerializer

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.get_object())

    def _read(self, patient, code=status.HTTP_200_OK):
        patient = self.get_queryset().get(pk=patient.pk)
        context = self.get_serializer_context()
        return Response(PatientSerializer(patient, context=context).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        patient, invitation = patient_create(
            clinic=request.user.clinic,
            created_by=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            primary_therapist=data.get("primary_therapist"),
        )
        invitation_send(invitation=invitation, base_url=site_url(request))
        return self._read(patient, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        patient = self.get_object()
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient_update(patient=patient, **serializer.validated_data)
        return self._read(patient)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(
        request=AttentionReviewSerializer,
        responses={201: AttentionReviewSerializer},
        description=(
            "Mark one reason of the dashboard as reviewed: it is left out until newer data "
            "raises it again. Records who reviewed it and when."
        ),
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        patient = self.get_object()
        serializer = AttentionReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = attention_review_record(
            patient=patient, kind=serializer.validated_data["kind"], reviewed_by=request.user
        )
        return Response(AttentionReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(PatientSerializer, description="A new invitation was sent.")
        },
    )
    @action(detail=True, methods=["post"])
    def invitation(self, request, pk=None):
        """Send a new invitation link (earlier ones stop working)."""
        patient = self.get_object()
        invitation = patient_invitation_create(patient=patient, invited_by=request.user)
        invitation_send(invitation=invitation, base_url=site_url(request))
        return self._read(patient, status.HTTP_202_ACCEPTED)

    def _set_access(self, active: bool):
        # Not get_object(): the list's filters hide inactive patients, who must be reachable
        # here to be reactivated. get_queryset() is the tenant filter (for_user).
        patient = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        access_set_active(
            actor=self.request.user, active=active, patient=patient, request=self.request
        )
        return self._read(patient)

    @extend_schema(request=None, responses={200: PatientSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsClinicAdmin])
    def deactivate(self, request, pk=None):
        """Clinic admins: the patient can no longer sign in; every session and token of theirs
        ends at once and invitation links stop working. Programs and logs stay."""
        return self._set_access(False)

    @extend_schema(request=None, responses={200: PatientSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsClinicAdmin])
    def reactivate(self, request, pk=None):
        """Clinic admins: the patient can sign in again."""
        return self._set_access(True)
