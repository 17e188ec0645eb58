import zoneinfo

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Invitation, Patient, Role, User
from clinic.services import check_patient_email_free, check_staff_invitable


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form shows
    that field, otherwise (no such field, or a hidden one) at the top of the form. Every app's
    views use this one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)


def timezone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class ClinicSettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        help_text=_("Decides which day is “today” for your patients."),
    )

    class Meta:
        model = Clinic
        fields = [
            "name",
            "timezone",
            "low_adherence_below",
            "handout_paper",
            "require_two_step_admins",
            "require_two_step_staff",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["low_adherence_below"].required = False
        self.fields["handout_paper"].required = False

    def clean_low_adherence_below(self):
        value = self.cleaned_data.get("low_adherence_below")
        return self.instance.low_adherence_below if value is None else value

    def clean_handout_paper(self):
        """Left out of the form: the paper size stays as it was."""
        return self.cleaned_data.get("handout_paper") or self.instance.handout_paper


class StaffInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.THERAPIST.value, Role.THERAPIST.label),
            (Role.ADMIN.value, Role.ADMIN.label),
        ],
        initial=Role.THERAPIST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            check_staff_invitable(clinic=self.clinic, email=email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email


class PatientForm(forms.ModelForm):
    """Add or edit a patient. The therapist choice is limited to the clinic's own staff."""

    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "email", "primary_therapist"]

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic
        self.fields["primary_therapist"].queryset = User.objects.for_clinic(clinic).staff()
        self.fields["primary_therapist"].empty_label = _("No one yet")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            check_patient_email_free(clinic=self.clinic, email=email, patient=self.instance)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email


class AcceptInvitationForm(SetPasswordForm):
    """Names and a new password for the account an invitation creates."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    field_order = ["first_name", "last_name", "new_password1", "new_password2"]

    def __init__(self, invitation: Invitation, *args, **kwargs):
        # An unsaved user, so the password validators can compare against the names and address.
        user = User(email=invitation.email, clinic=invitation.clinic, role=invitation.role)
        super().__init__(user, *args, **kwargs)
        self.fields["first_name"].initial = invitation.first_name
        self.fields["last_name"].initial = invitation.last_name

    def clean(self):
        # Set the names first, so the password validators compare against them too.
        self.user.first_name = self.cleaned_data.get("first_name", "")
        self.user.last_name = self.cleaned_data.get("last_name", "")
        return super().clean()


class SignInLinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class AccessForm(forms.Form):
    """Turn a person's access off (0) or on (1): the buttons on the team and patient pages."""

    active = forms.TypedChoiceField(
        label=_("Access"),
        choices=[("1", _("Reactivate")), ("0", _("Deactivate"))],
        coerce=lambda value: value == "1",
    )


class AuditFilterForm(forms.Form):
    """The clinic admin's filters on the audit trail; every field is optional."""

    patient = forms.CharField(label=_("Patient (name or e-mail)"), max_length=100, required=False)
    person = forms.CharField(label=_("Who (name or e-mail)"), max_length=100, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned
