"""Finding 2, web side: sessions know whose they are, so "Sign out everywhere" and a password
change end them all."""

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from clinic.models import AuditEvent, UserSession
from clinic.services import api_token_create
from tests.factories import TEST_PASSWORD


def signed_in_browser(user):
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_session_records_whose_it_is(therapist):
    browser = signed_in_browser(therapist)

    session = UserSession.objects.get(session_key=browser.session.session_key)
    assert session.user == therapist


def test_the_page_counts_browsers_and_apps(therapist):
    signed_in_browser(therapist)
    api_token_create(user=therapist)
    browser = signed_in_browser(therapist)

    response = browser.get(reverse("account_sessions"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "1 other browser." in content
    assert "1 app." in content


def test_sign_out_everywhere_ends_every_browser_and_app(therapist, patient):
    laptop = signed_in_browser(therapist)
    phone = signed_in_browser(therapist)
    token, _row = api_token_create(user=therapist)
    someone_else = signed_in_browser(patient.user)

    response = phone.post(reverse("account_sessions"))

    assert response.url == reverse("login")
    assert laptop.get(reverse("patient_list")).status_code == 302
    assert phone.get(reverse("patient_list")).status_code == 302
    assert not UserSession.objects.filter(user=therapist).exists()
    assert not therapist.auth_token_set.exists()
    assert someone_else.get(reverse("portal_home")).status_code in (200, 302)
    assert UserSession.objects.filter(user=patient.user).exists()
    assert AuditEvent.objects.filter(actor=therapist, detail="signed out everywhere").exists()


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(therapist):
    laptop = signed_in_browser(therapist)
    phone = signed_in_browser(therapist)
    api_token_create(user=therapist)

    response = phone.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-fresh-long-passphrase",
            "new_password2": "a-fresh-long-passphrase",
        },
    )

    assert response.status_code == 302
    assert phone.get(reverse("patient_list")).status_code == 200
    assert laptop.get(reverse("patient_list")).status_code == 302
    assert UserSession.objects.filter(user=therapist).count() == 1
    assert not therapist.auth_token_set.exists()


def test_a_password_reset_ends_every_session(client, therapist):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    laptop = signed_in_browser(therapist)
    uid = urlsafe_base64_encode(force_bytes(therapist.pk))
    url = reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(therapist)]
    )
    form_url = client.get(url).url
    client.post(
        form_url,
        {"new_password1": "reset-long-passphrase", "new_password2": "reset-long-passphrase"},
    )

    assert laptop.get(reverse("patient_list")).status_code == 302
    assert (
        not UserSession.objects.filter(user=therapist)
        .exclude(session_key=client.session.session_key)
        .exists()
    )


def test_anonymous_sessions_belong_to_nobody(client, db):
    session = client.session
    session["x"] = 1
    session.save()

    assert UserSession.objects.get(session_key=session.session_key).user is None
    assert SESSION_KEY not in session


def test_the_page_needs_a_sign_in(client, db):
    assert client.get(reverse("account_sessions")).status_code == 302


def test_a_factory_session_signs_a_browser_in_until_sign_out_everywhere(client, therapist):
    from django.conf import settings

    from clinic.services import sign_out_everywhere
    from tests.factories import UserSessionFactory

    session = UserSessionFactory(user=therapist)
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(reverse("patient_list")).status_code == 200

    sign_out_everywhere(user=therapist)

    assert client.get(reverse("patient_list")).status_code == 302
