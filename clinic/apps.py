from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinics and people")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from clinic.two_step.middleware import remember_two_step_state

        user_logged_in.connect(
            remember_two_step_state, dispatch_uid="clinic.two_step.remember_state"
        )
