"""What the patient endpoints send and accept."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.output import OutputSerializer, caller
from api.programs.serializers import AdherenceSerializer, AttentionReasonSerializer
from clinic.models import Patient, User


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
    adherence = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

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
            "adherence",
            "flags",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_account(self, patient) -> bool:
        return patient.user_id is not None

    def _status(self, patient):
        """The stored status (programs/status.py), joined by the list's query."""
        return getattr(patient, "status", None)

    @extend_schema_field(AdherenceSerializer(many=True))
    def get_adherence(self, patient):
        """Check-offs done / scheduled over the last 7 and 30 days, all active programs
        together (empty without an active program)."""
        status = self._status(patient)
        return AdherenceSerializer(status.adherence, many=True).data if status else []

    @extend_schema_field(AttentionReasonSerializer(many=True))
    def get_flags(self, patient):
        """The dashboard's reasons for this patient not marked reviewed, most serious first."""
        status = self._status(patient)
        return AttentionReasonSerializer(status.reasons, many=True).data if status else []


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
