"""Two-step sign-in (issue 10, safeguard 13): setting up, signing in with an app code or a
one-time recovery code, the clinic's requirement, platform staff and the Django admin, the
API token, and an admin resetting a colleague's lost device."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from clinic.admin_site import PlatformAdminSite
from clinic.models import AuditAction, AuditEvent, Clinic
from clinic.two_step.services import recovery_codes_create, setup_key_new
from clinic.two_step.views import SETUP_KEY_SESSION_KEY
from tests.clinic.test_settings import production, run_manage
from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    PatientWithAccountFactory,
    SuperuserFactory,
    TherapistFactory,
)

BAD_CODE = "That code is not right"


def code_for_key(key: str) -> str:
    device = TOTPDevice(key=key)
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator app and recovery codes, as after the setup page."""
    device = TOTPDevice.objects.create(user=user, key=setup_key_new(), confirmed=True)
    return device, recovery_codes_create(user=user)


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": user.email, "password": password})


def later(minutes=1):
    """The clock moved on: a new 30-second code window, and past django-otp's short wait
    after a wrong code."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def strict_clinic(clinic):
    clinic.require_two_step_admins = True
    clinic.save()
    return clinic


# --- Setting up ----------------------------------------------------------------------------


def test_required_admin_is_sent_to_set_up_before_anything_else(client, strict_clinic):
    admin = AdminFactory(clinic=strict_clinic)
    sign_in(client, admin)

    response = client.get(reverse("patient_list"))

    assert response.status_code == 302
    assert response.url == f"{reverse('two_step_setup')}?next=%2Fpatients%2F"


def test_enrol_with_qr_secret_and_code_then_codes_shown_once(client, strict_clinic):
    admin = AdminFactory(clinic=strict_clinic)
    sign_in(client, admin)

    page = client.get(reverse("two_step_setup"), {"next": "/clinic/settings/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    assert 'aria-label="Main"' not in html  # no menu before the second step
    key = client.session[SETUP_KEY_SESSION_KEY]
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    response = client.post(
        reverse("two_step_setup"), {"code": code_for_key(key), "next": "/clinic/settings/"}
    )

    assert response.status_code == 302
    assert response.url == f"{reverse('two_step_codes')}?next=%2Fclinic%2Fsettings%2F"
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.key == key
    codes_page = client.get(response.url)
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    download = client.get(reverse("two_step_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    assert set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == (
        set(codes)
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCESS, actor=admin, detail="two-step sign-in set up"
    ).exists()

    done = client.post(reverse("two_step_codes"), {"next": "/clinic/settings/"})

    assert done.url == "/clinic/settings/"
    assert client.get("/clinic/settings/").status_code == 200  # verified by the setup
    assert client.get(reverse("two_step_codes")).status_code == 302  # never shown again


def test_wrong_setup_code_says_so_and_saves_nothing(client, clinic_admin):
    client.force_login(clinic_admin)
    client.get(reverse("two_step_setup"))

    response = client.post(reverse("two_step_setup"), {"code": "000000"})
    blank = client.post(reverse("two_step_setup"), {"code": ""})
    letters = client.post(reverse("two_step_setup"), {"code": "abcdef"})

    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()
    assert "Enter the 6-digit code" in blank.content.decode()
    assert letters.status_code == 400
    assert not TOTPDevice.objects.filter(user=clinic_admin).exists()


def test_voluntary_setup_when_not_required(client, clinic_admin, therapist):
    client.force_login(therapist)
    assert client.get(reverse("patient_list")).status_code == 200  # not required: no detour

    page = client.get(reverse("two_step_setup"))
    assert 'aria-label="Main"' in page.content.decode()  # nothing owed: the menu stays
    key = client.session[SETUP_KEY_SESSION_KEY]
    client.post(reverse("two_step_setup"), {"code": code_for_key(key)})

    assert TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


def test_patients_cannot_set_up_two_step(client, patient):
    client.force_login(patient.user)

    assert client.get(reverse("two_step_setup")).status_code == 403
    assert client.get(reverse("two_step")).status_code == 403


def test_anonymous_visitors_sign_in_first(client, db):
    response = client.get(reverse("two_step_setup"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Signing in ----------------------------------------------------------------------------


def test_sign_in_asks_for_the_app_code_then_lets_in(client, therapist):
    device, _codes = enrol(therapist)
    sign_in(client, therapist)

    detour = client.get(reverse("patient_list"))
    assert detour.url == f"{reverse('two_step_verify')}?next=%2Fpatients%2F"
    assert client.get(detour.url).status_code == 200

    response = client.post(
        reverse("two_step_verify"), {"code": code_for_key(device.key), "next": "/patients/"}
    )

    assert response.status_code == 302 and response.url == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_an_app_code_works_once(client, therapist):
    device, _codes = enrol(therapist)
    code = code_for_key(device.key)
    sign_in(client, therapist)
    client.post(reverse("two_step_verify"), {"code": code})
    client.post(reverse("logout"))
    sign_in(client, therapist)

    response = client.post(reverse("two_step_verify"), {"code": code})

    assert response.status_code == 400
    assert BAD_CODE in response.content.decode()
    failure = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (failure.actor, failure.detail) == (therapist, "wrong two-step code")


def test_recovery_code_works_once(client, therapist):
    _device, codes = enrol(therapist)
    sign_in(client, therapist)

    first = client.post(reverse("two_step_verify"), {"code": codes[0].upper()}, follow=True)

    assert first.status_code == 200
    assert "9 are left" in first.content.decode()
    assert client.get(reverse("patient_list")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, therapist)

    second = client.post(reverse("two_step_verify"), {"code": codes[0]})

    assert second.status_code == 400
    assert BAD_CODE in second.content.decode()
    assert client.get(reverse("patient_list")).status_code == 302


@pytest.mark.parametrize("code", ["123456", "nonsense", "12 34", "", "x" * 25])
def test_bad_codes_get_a_clear_message(client, therapist, code):
    enrol(therapist)
    sign_in(client, therapist)

    response = client.post(reverse("two_step_verify"), {"code": code})

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert BAD_CODE in html or "Enter the code" in html or "at most 20" in html
    assert client.get(reverse("patient_list")).status_code == 302


def test_many_wrong_codes_ask_to_wait(client, therapist):
    enrol(therapist)
    sign_in(client, therapist)
    start = timezone.now()
    for minute in range(3):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            client.post(reverse("two_step_verify"), {"code": "000000"})

    with time_machine.travel(start + timedelta(minutes=2, seconds=1), tick=False):
        response = client.post(reverse("two_step_verify"), {"code": "000000"})

    assert "Too many wrong codes" in response.content.decode()


def test_verify_never_redirects_to_another_site(client, therapist):
    device, _codes = enrol(therapist)
    sign_in(client, therapist)

    response = client.post(
        reverse("two_step_verify"),
        {"code": code_for_key(device.key), "next": "https://evil.example/"},
    )

    assert response.url == reverse("dashboard")  # the staff home, not the other site


def test_replacing_the_app_needs_the_current_one_first(client, therapist):
    enrol(therapist)
    sign_in(client, therapist)

    response = client.get(reverse("two_step_setup"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_step_verify"))


def test_new_recovery_codes_replace_the_old(client, therapist):
    device, old = enrol(therapist)
    sign_in(client, therapist)
    client.post(reverse("two_step_verify"), {"code": code_for_key(device.key)})

    response = client.post(reverse("two_step_codes_regenerate"), follow=True)

    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=therapist).count() == 10


def test_session_api_calls_wait_for_the_second_step(client, therapist):
    enrol(therapist)
    sign_in(client, therapist)

    response = client.get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json()["code"] == "two_step_required"


# --- Who must use it ------------------------------------------------------------------------


def test_therapists_need_it_only_when_the_clinic_asks_all_staff(client, strict_clinic):
    therapist = TherapistFactory(clinic=strict_clinic)
    sign_in(client, therapist)
    assert client.get(reverse("patient_list")).status_code == 200
    client.post(reverse("logout"))
    strict_clinic.require_two_step_staff = True
    strict_clinic.save()

    sign_in(client, therapist)

    assert client.get(reverse("patient_list")).url.startswith(reverse("two_step_setup"))


def test_patients_never_need_it(client, strict_clinic, therapist):
    strict_clinic.require_two_step_staff = True
    strict_clinic.save()
    patient = PatientWithAccountFactory(clinic=strict_clinic, primary_therapist=therapist)
    sign_in(client, patient.user)

    response = client.get(reverse("portal_home"))

    assert not response.get("Location", "").startswith("/accounts/two-step/")


def test_admins_turn_the_requirement_on_in_clinic_settings(client, clinic_admin):
    client.force_login(clinic_admin)

    response = client.post(
        reverse("clinic_settings"),
        {
            "name": "Clinic A",
            "timezone": "Europe/Madrid",
            "require_two_step_admins": "on",
            "require_two_step_staff": "on",
        },
    )

    assert response.status_code == 302
    clinic = Clinic.objects.get(pk=clinic_admin.clinic_id)
    assert clinic.require_two_step_admins and clinic.require_two_step_staff


def test_new_clinics_require_it_for_admins():
    assert Clinic._meta.get_field("require_two_step_admins").default is True
    assert Clinic._meta.get_field("require_two_step_staff").default is False


def test_demo_clinic_signs_in_with_just_the_password(client, db):
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)  # a refresh keeps it off too

    demo = Clinic.objects.get(slug="demo")
    assert not demo.require_two_step_admins and not demo.require_two_step_staff


# --- Platform staff and the Django admin ----------------------------------------------------


@override_settings(TWO_STEP_FOR_PLATFORM_STAFF=True)
def test_platform_staff_must_set_it_up_before_the_admin(client, db):
    staff = SuperuserFactory()
    sign_in(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.url.startswith(reverse("two_step_setup"))


@override_settings(TWO_STEP_FOR_PLATFORM_STAFF=True)
def test_admin_site_opens_after_the_code(client, db):
    staff = SuperuserFactory()
    device, _codes = enrol(staff)
    sign_in(client, staff)
    assert client.get(reverse("admin:index")).url.startswith(reverse("two_step_verify"))

    client.post(reverse("two_step_verify"), {"code": code_for_key(device.key)})

    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("required", "verified", "allowed"),
    [
        (True, False, False),
        (True, True, True),
        (False, False, True),
    ],
)
def test_admin_site_permission_checks_the_second_step(db, settings, required, verified, allowed):
    settings.TWO_STEP_FOR_PLATFORM_STAFF = required
    request = RequestFactory().get("/admin/")
    request.user = SuperuserFactory()
    request.user.is_verified = lambda: verified

    assert PlatformAdminSite().has_permission(request) is allowed


def test_production_requires_it_for_platform_staff():
    show = "from django.conf import settings; print(settings.TWO_STEP_FOR_PLATFORM_STAFF)"

    in_production = run_manage("shell", "-c", show, **production(TWO_STEP_FOR_PLATFORM_STAFF="0"))
    in_development = run_manage("shell", "-c", show)

    assert in_production.stdout.strip().endswith("True"), in_production.stderr
    assert in_development.stdout.strip().endswith("False"), in_development.stderr


# --- API tokens ---------------------------------------------------------------------------------


def token_request(user, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": TEST_PASSWORD, **extra}
    )


def test_api_token_needs_the_code_too(therapist):
    device, codes = enrol(therapist)

    without = token_request(therapist)
    wrong = token_request(therapist, otp="000000")
    with later(1):  # after a wrong code, django-otp waits a moment before the next try
        right = token_request(therapist, otp=code_for_key(device.key))
    with later(2):
        recovery = token_request(therapist, otp=codes[0])
        recovery_again = token_request(therapist, otp=codes[0])

    assert without.status_code == 400 and "otp" in without.json()
    assert wrong.status_code == 400 and BAD_CODE in wrong.json()["otp"][0]
    assert right.status_code == 200 and right.json()["token"]
    assert recovery.status_code == 200
    assert recovery_again.status_code == 400


def test_api_token_for_a_required_admin_without_setup_says_what_to_do(strict_clinic):
    admin = AdminFactory(clinic=strict_clinic)

    response = token_request(admin)

    assert response.status_code == 400
    assert "Set up two-step sign-in on the website" in response.json()["otp"][0]


def test_api_token_without_two_step_needs_only_the_password(patient, therapist):
    assert token_request(patient.user).status_code == 200
    assert token_request(therapist).status_code == 200


# --- Lost device: another admin resets it ---------------------------------------------------


def test_admin_resets_a_colleagues_lost_device_and_it_is_audited(client, strict_clinic):
    admin = AdminFactory(clinic=strict_clinic)
    colleague = AdminFactory(clinic=strict_clinic)
    enrol(admin)
    colleague_device, _codes = enrol(colleague)
    colleague_client = Client()
    sign_in(colleague_client, colleague)
    colleague_client.post(reverse("two_step_verify"), {"code": code_for_key(colleague_device.key)})
    assert colleague_client.get(reverse("team")).status_code == 200
    client.force_login(admin)
    client.post(reverse("two_step_verify"), {"code": code_for_key(admin.totpdevice_set.get().key)})
    team = client.get(reverse("team"))
    assert reverse("team_two_step_reset", args=[colleague.pk]) in team.content.decode()
    assert reverse("team_two_step_reset", args=[admin.pk]) not in team.content.decode()

    response = client.post(reverse("team_two_step_reset", args=[colleague.pk]), follow=True)

    assert "is reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.get(detail="two-step sign-in reset")
    assert (event.action, event.actor, event.object_id) == (
        AuditAction.ACCESS,
        admin,
        str(colleague.pk),
    )
    assert event.clinic_id == strict_clinic.pk
    # The colleague's open session must set it up again, and so must the next sign-in.
    assert colleague_client.get(reverse("team")).url.startswith(reverse("two_step_verify"))
    assert colleague_client.get(reverse("two_step_verify")).url.startswith(
        reverse("two_step_setup")
    )
    client.post(reverse("logout"))
    sign_in(client, colleague)
    assert client.get(reverse("team")).url.startswith(reverse("two_step_setup"))


def test_admin_cannot_reset_their_own(client, clinic_admin):
    enrol(clinic_admin)
    client.force_login(clinic_admin)
    client.post(
        reverse("two_step_verify"), {"code": code_for_key(clinic_admin.totpdevice_set.get().key)}
    )

    response = client.post(reverse("team_two_step_reset", args=[clinic_admin.pk]), follow=True)

    assert "cannot reset your own" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clinic_admin).exists()


def test_therapists_cannot_reset(client, clinic_admin, therapist):
    enrol(clinic_admin)
    client.force_login(therapist)

    response = client.post(reverse("team_two_step_reset", args=[clinic_admin.pk]))

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=clinic_admin).exists()


def test_reset_of_another_clinics_member_answers_404(client, clinic_admin, other_clinic_admin):
    enrol(other_clinic_admin)
    client.force_login(clinic_admin)

    response = client.post(reverse("team_two_step_reset", args=[other_clinic_admin.pk]))

    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=other_clinic_admin).exists()
    assert not AuditEvent.objects.filter(detail="two-step sign-in reset").exists()


def test_reset_of_a_patient_answers_404(client, clinic_admin, patient):
    client.force_login(clinic_admin)

    response = client.post(reverse("team_two_step_reset", args=[patient.user.pk]))

    assert response.status_code == 404


def test_reset_needs_post(client, clinic_admin, therapist):
    client.force_login(clinic_admin)

    assert client.get(reverse("team_two_step_reset", args=[therapist.pk])).status_code == 405


@pytest.mark.parametrize(
    "changelist",
    ["admin:otp_totp_totpdevice_changelist", "admin:otp_static_staticdevice_changelist"],
)
def test_platform_staff_see_devices_in_the_admin_for_a_clinics_only_admin(
    client, clinic_admin, changelist
):
    """A clinic with one admin has nobody to reset a lost phone: platform staff delete the
    devices in the Django admin."""
    enrol(clinic_admin)
    client.force_login(SuperuserFactory())

    response = client.get(reverse(changelist))

    assert response.status_code == 200
    assert escape(str(clinic_admin)) in response.content.decode()
