"""Site-wide behaviour: health check, error pages, security headers, accessible layout."""

from django.urls import reverse


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_404_page_in_the_site_look(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'class="skip-link"' in response.content


def test_csp_forbids_inline_scripts_and_styles(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_inline_styles_or_scripts_in_pages(client_for, clinic_admin):
    client = client_for(clinic_admin)
    for name in ["clinic_settings", "team", "patient_list", "patient_add"]:
        content = client.get(reverse(name)).content.decode()
        assert "style=" not in content, name
        assert "<script>" not in content, name


def test_layout_has_landmarks_one_h1_and_a_skip_link(client_for, therapist):
    content = client_for(therapist).get(reverse("patient_list")).content.decode()

    assert '<html lang="en">' in content
    assert content.count("<h1") == 1
    assert 'href="#main"' in content and 'id="main"' in content
    assert "<header" in content and "<nav" in content and "<footer" in content
    assert 'aria-current="page"' in content


def test_nav_shows_what_the_role_may_do(client_for, therapist, clinic_admin):
    therapist_page = client_for(therapist).get(reverse("patient_list")).content.decode()
    admin_page = client_for(clinic_admin).get(reverse("patient_list")).content.decode()

    assert reverse("team") not in therapist_page
    assert reverse("team") in admin_page


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, therapist):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        reverse("login"), {"username": therapist.email, "password": TEST_PASSWORD}
    )

    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_forms_are_protected_by_csrf(therapist):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)

    response = client.post(reverse("patient_add"), {"first_name": "x"})

    assert response.status_code == 403
