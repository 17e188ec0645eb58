"""A changed password ends every session and API token of its owner (finding 2).

Connected in ClinicConfig.ready(). A receiver rather than calls in each view, because a
password changes in several places (change and reset pages, the Django admin,
`manage.py changepassword`) and none may be missed.
"""

from django.db.models.signals import post_save


def sign_out_everywhere_after_a_password_change(sender, instance, created, **kwargs):
    # AbstractBaseUser keeps the new raw password in `_password` from set_password() until its
    # save() has finished; Django's own hash upgrades clear it before saving, so they do not
    # count as a change.
    if created or getattr(instance, "_password", None) is None:
        return
    from clinic.services import sign_out_everywhere

    sign_out_everywhere(user=instance)


def connect():
    from django.contrib.auth.signals import user_logged_in

    from clinic.models import User
    from clinic.two_step.middleware import remember_two_step_state

    user_logged_in.connect(remember_two_step_state, dispatch_uid="clinic.two_step.remember_state")

    post_save.connect(
        sign_out_everywhere_after_a_password_change,
        sender=User,
        dispatch_uid="clinic.sign_out_everywhere_after_a_password_change",
    )
