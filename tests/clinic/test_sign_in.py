import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, SuperuserFactory


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.mark.parametrize(
    ("actor", "home"),
    [
        ("clinic_admin", "dashboard"),
        ("therapist", "dashboard"),
        ("patient", "portal_home"),
    ],
)
def test_sign_in_lands_each_role_on_its_home(client, request, actor, home):
    person = request.getfixturevalue(actor)
    user = getattr(person, "user", person)

    response = sign_in(client, user.email.upper())

    assert response.status_code == 302
    follow = client.get(response.url)
    assert follow.status_code == 302
    assert follow.url == reverse(home)
    assert client.get(follow.url).status_code == 200


def test_platform_staff_start_in_the_admin(client, db):
    staff = SuperuserFactory()
    client.force_login(staff)

    response = client.get(reverse("home"))

    assert response.url == reverse("admin:index")
    assert client.get(response.url).status_code == 200


def test_anonymous_home_goes_to_sign_in(client, db):
    assert client.get(reverse("home")).url == reverse("login")


def test_wrong_password_shows_an_error(client, therapist):
    response = sign_in(client, therapist.email, "wrong")

    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client_for, therapist):
    client = client_for(therapist)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_address_out_with_a_clear_page(client, therapist):
    for attempt in range(5):
        # Changing the address's case does not buy more attempts.
        email = therapist.email.upper() if attempt % 2 else therapist.email
        sign_in(client, email, "wrong")

    locked = sign_in(client, therapist.email)  # even the right password now

    assert locked.status_code == 429
    assert b"Too many sign-in attempts" in locked.content
    assert b"paused for 15 minutes" in locked.content
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_only_known_addresses_and_answers_the_same(client, therapist):
    known = client.post(reverse("password_reset"), {"email": therapist.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert known.url == unknown.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[therapist.email]]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_admin_is_for_platform_staff_only(client_for, clinic_admin):
    client = client_for(clinic_admin)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url
