"""The clinic's patients, for therapists and clinic admins: list and search, add (which
e-mails an invitation, as on the web), read and change."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.conventions import ETagMixin, OutputSerializer, caller
from api.permissions import IsClinicStaff
from clinic.models import Invitation, Patient, User
from clinic.services import (
    invitation_send,
    patient_create,
    patient_invitation_create,
    patient_update,
)
from clinic.views import site_base_url
from programs.selectors import patients_for_list


class PatientSerializer(OutputSerializer):
    full_name = serializers.CharField(read_only=True)
    has_account = serializers.SerializerMethodField()
    invitation_pending = serializers.BooleanField(read_only=True)
    active_program = serializers.IntegerField(
        source="active_program_id", read_only=True, allow_null=True
    )
    active_program_title = serializers.CharField(read_only=True, allow_null=True)
    last_activity = serializers.DateField(
        read_only=True, allow_null=True, help_text=gettext_lazy("The last day anything was logged.")
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "primary_therapist",
            "is_active",
            "has_account",
            "invitation_pending",
            "active_program",
            "active_program_title",
            "last_activity",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_account(self, patient) -> bool:
        return patient.user_id is not None


class PatientWriteSerializer(serializers.ModelSerializer):
    """The web's patient form fields; the primary therapist must be the clinic's own staff."""

    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "email", "primary_therapist"]
        extra_kwargs = {"primary_therapist": {"required": False, "allow_null": True}}
        validators = []  # the one-address-per-clinic rule: the model's constraint, in full_clean

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clinic = getattr(caller(self), "clinic_id", None)
        self.fields["primary_therapist"].queryset = User.objects.for_clinic(clinic).staff()


class PatientFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search", max_length=100, help_text=gettext_lazy("Name or e-mail words.")
    )
    mine = filters.BooleanFilter(
        method="only_mine", help_text=gettext_lazy("Only patients I am the primary therapist of.")
    )
    include_inactive = filters.BooleanFilter(
        method="with_inactive", help_text=gettext_lazy("Inactive patients too.")
    )

    def search(self, queryset, name, value):
        return queryset.search(value)

    def only_mine(self, queryset, name, value):
        return queryset.filter(primary_therapist=self.request.user) if value else queryset

    def with_inactive(self, queryset, name, value):
        return queryset  # see filter_queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_inactive"):
            queryset = queryset.active()
        return super().filter_queryset(queryset)


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
    ordering_fields = ["last_name", "first_name", "created_at", "last_activity"]
    ordering = ["last_name", "first_name", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        pending = Invitation.objects.pending().filter(patient=OuterRef("pk"))
        return patients_for_list(
            Patient.objects.for_user(self.request.user).annotate(invitation_pending=Exists(pending))
        )

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PatientWriteSerializer
        return PatientSerializer

    def _read(self, patient, code=status.HTTP_200_OK):
        patient = self.get_queryset().get(pk=patient.pk)
        return Response(PatientSerializer(patient).data, status=code)

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
        invitation_send(invitation=invitation, base_url=site_base_url(request))
        return self._read(patient, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        patient = Patient.objects.for_user(request.user).get(pk=self.get_object().pk)
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient_update(patient=patient, **serializer.validated_data)
        return self._read(patient)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(PatientSerializer, description="A new invitation was sent.")
        },
    )
    @action(detail=True, methods=["post"])
    def invitation(self, request, pk=None):
        """Send a new invitation link (earlier ones stop working)."""
        patient = Patient.objects.select_related("clinic").get(pk=self.get_object().pk)
        if patient.user_id:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("%(name)s already has an account.") % {"name": patient.full_name}
                    ]
                }
            )
        invitation = patient_invitation_create(patient=patient, invited_by=request.user)
        invitation_send(invitation=invitation, base_url=site_base_url(request))
        return self._read(patient, status.HTTP_202_ACCEPTED)
