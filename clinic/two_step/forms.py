from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The second step: a code from the authenticator app or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code.")},
    )


class SetupForm(forms.Form):
    """Confirms the authenticator app: proves the secret reached it."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        help_text=_("6 digits, shown by the app after you add this account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )
