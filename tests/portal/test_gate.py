"""The disclaimer gate: every portal page but the disclaimer itself waits for the current
medical disclaimer to be accepted; a new version asks again."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from api.permissions import DisclaimerAccepted
from exercises.models import Disclaimer, DisclaimerKind
from portal.gate import has_accepted_current_disclaimer
from programs.models import DisclaimerAcceptance, ExerciseLog
from tests.factories import TherapistFactory


def portal_gets(item):
    today = item.program.clinic.today()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    return [
        reverse("portal_home"),
        reverse("portal_history"),
        reverse("portal_missed_days"),
        reverse("portal_day", args=[yesterday]),
        reverse("portal_pain_check"),
        reverse("portal_exercise", args=[item.pk]),
        reverse("portal_item_image", args=[item.pk]),
    ]


def portal_posts(item):
    today = item.program.clinic.today().isoformat()
    return [
        (reverse("portal_check", args=[item.pk]), {"day": today, "session": 1}),
        (reverse("portal_undo", args=[item.pk]), {"day": today, "session": 1}),
        (
            reverse("portal_exercise", args=[item.pk]),
            {"day": today, "session": 1, "completed": "on", "sets_done": 3, "reps_done": 10},
        ),
        (reverse("portal_pain_check"), {"pain_now": 2, "compared_to_before": "same"}),
        (reverse("portal_pain_check_later"), {}),
    ]


def expected_redirect(url):
    return f"{reverse('portal_disclaimer')}?next={quote(url, safe='')}"


def test_every_portal_page_waits_for_the_disclaimer(client_for, patient, medical_disclaimer, item):
    client = client_for(patient.user)
    for url in portal_gets(item):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == expected_redirect(url), url


def test_every_portal_post_waits_for_the_disclaimer(client_for, patient, medical_disclaimer, item):
    client = client_for(patient.user)
    for url, data in portal_posts(item):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("portal_disclaimer")), url
    assert not ExerciseLog.objects.exists()
    assert not patient.pain_checks.exists()


def test_after_accepting_the_pages_open(paula_client, item):
    for url in portal_gets(item)[:-1]:  # the image 404s: the exercise has none
        assert paula_client.get(url).status_code == 200, url


def test_the_disclaimer_page_is_not_gated_and_shows_the_text(
    client_for, patient, medical_disclaimer
):
    response = client_for(patient.user).get(reverse("portal_disclaimer"))
    assert response.status_code == 200
    assert "Education only, not medical advice." in response.content.decode()
    assert "Version 1" in response.content.decode()


def test_accepting_records_version_time_ip_and_browser(
    client_for, patient, medical_disclaimer, item
):
    client = client_for(patient.user)
    next_url = reverse("portal_exercise", args=[item.pk])
    response = client.post(
        reverse("portal_disclaimer"),
        {"disclaimer": medical_disclaimer.pk, "agree": "on", "next": next_url},
        HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 500,
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    acceptance = DisclaimerAcceptance.objects.get()
    assert acceptance.patient == patient
    assert acceptance.disclaimer == medical_disclaimer
    assert acceptance.ip == "203.0.113.7"
    assert acceptance.user_agent.startswith("Mozilla/5.0 ")
    assert len(acceptance.user_agent) == 300
    assert timezone.now() - acceptance.accepted_at < datetime.timedelta(minutes=1)
    assert client.get(next_url).status_code == 200


def test_accepting_needs_the_tick(client_for, patient, medical_disclaimer):
    response = client_for(patient.user).post(
        reverse("portal_disclaimer"), {"disclaimer": medical_disclaimer.pk}
    )
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not DisclaimerAcceptance.objects.exists()


def test_an_outside_next_is_ignored(client_for, patient, medical_disclaimer):
    response = client_for(patient.user).post(
        reverse("portal_disclaimer"),
        {"disclaimer": medical_disclaimer.pk, "agree": "on", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("portal_home")


def test_a_new_version_asks_again(paula_client, patient, medical_disclaimer, clinic):
    assert paula_client.get(reverse("portal_home")).status_code == 200
    newer = Disclaimer.objects.create(
        clinic=clinic,
        kind=DisclaimerKind.MEDICAL,
        title="Our disclaimer",
        body="New text.",
        version=1,
    )
    response = paula_client.get(reverse("portal_home"))
    assert response.status_code == 302
    page = paula_client.get(reverse("portal_disclaimer")).content.decode()
    assert "New text." in page
    assert "Your clinic has updated this text" in page
    paula_client.post(reverse("portal_disclaimer"), {"disclaimer": newer.pk, "agree": "on"})
    assert paula_client.get(reverse("portal_home")).status_code == 200
    assert patient.disclaimer_acceptances.count() == 2


def test_accepting_a_version_replaced_meanwhile_is_refused(client_for, patient, medical_disclaimer):
    client = client_for(patient.user)
    Disclaimer.objects.create(
        clinic=None, kind=DisclaimerKind.MEDICAL, title="Medical disclaimer", body="v2", version=2
    )
    response = client.post(
        reverse("portal_disclaimer"), {"disclaimer": medical_disclaimer.pk, "agree": "on"}
    )
    assert response.status_code == 400
    assert "newer version" in response.content.decode()
    assert not DisclaimerAcceptance.objects.exists()


def test_a_version_published_in_the_future_is_not_current_yet(paula_client, medical_disclaimer):
    Disclaimer.objects.create(
        clinic=None,
        kind=DisclaimerKind.MEDICAL,
        title="Medical disclaimer",
        body="v2",
        version=2,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert paula_client.get(reverse("portal_home")).status_code == 200


def test_without_any_medical_disclaimer_the_gate_is_open(client_for, patient, item):
    assert has_accepted_current_disclaimer(patient)
    assert client_for(patient.user).get(reverse("portal_home")).status_code == 200


def test_another_clinics_disclaimer_does_not_count(
    client_for, patient, other_clinic, medical_disclaimer
):
    theirs = Disclaimer.objects.create(
        clinic=other_clinic, kind=DisclaimerKind.MEDICAL, title="B", body="B", version=1
    )
    DisclaimerAcceptance.objects.create(clinic=patient.clinic, patient=patient, disclaimer=theirs)
    assert not has_accepted_current_disclaimer(patient)


def test_anonymous_visitors_go_to_sign_in(client, item):
    response = client.get(reverse("portal_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["portal_home", "portal_disclaimer", "portal_history"])
def test_staff_get_403_in_the_portal(client_for, therapist, url_name):
    assert client_for(therapist).get(reverse(url_name)).status_code == 403


class TestDisclaimerAcceptedPermission:
    """The same rule for the API (DRF permission class)."""

    class Request:
        def __init__(self, user):
            self.user = user

    def test_patient_without_acceptance_is_refused(self, patient, medical_disclaimer):
        assert not DisclaimerAccepted().has_permission(self.Request(patient.user), None)

    def test_patient_with_acceptance_passes(self, patient, accepted):
        assert DisclaimerAccepted().has_permission(self.Request(patient.user), None)

    def test_staff_pass_through(self, clinic, medical_disclaimer):
        assert DisclaimerAccepted().has_permission(
            self.Request(TherapistFactory(clinic=clinic)), None
        )


class TestHtmx:
    """htmx must not swap the disclaimer or the sign-in page into a fragment: it gets an
    HX-Redirect to a whole page, which then comes back to the page the patient was on."""

    def test_check_off_before_accepting(self, client_for, patient, medical_disclaimer, item):
        today = item.program.clinic.today().isoformat()
        response = client_for(patient.user).post(
            reverse("portal_check", args=[item.pk]),
            {"day": today, "session": 1},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/portal/",
        )
        assert response.status_code == 204
        assert response["HX-Redirect"] == expected_redirect("/portal/")
        assert not ExerciseLog.objects.exists()

    def test_signed_out_meanwhile(self, client, item):
        response = client.post(
            reverse("portal_check", args=[item.pk]),
            {"session": 1},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/portal/days/2026-01-01/",
        )
        assert response.status_code == 204
        assert (
            response["HX-Redirect"] == f"{reverse('login')}?next=%2Fportal%2Fdays%2F2026-01-01%2F"
        )

    def test_a_plain_post_comes_back_to_today(self, client_for, patient, medical_disclaimer, item):
        response = client_for(patient.user).post(reverse("portal_check", args=[item.pk]), {})
        assert response["Location"] == expected_redirect(reverse("portal_home"))


class TestInactivePatient:
    """A patient the clinic made inactive is signed out of the portal and of the API."""

    @pytest.fixture
    def closed(self, patient):
        patient.is_active = False
        patient.save(update_fields=["is_active"])
        return patient

    def test_the_portal_signs_them_out(self, paula_client, closed):
        response = paula_client.get(reverse("portal_home"), follow=True)

        assert response.redirect_chain[-1][0].startswith(reverse("login"))
        assert "closed your account" in response.content.decode()
        assert "_auth_user_id" not in paula_client.session

    def test_htmx_gets_a_whole_page_redirect(self, paula_client, closed, item):
        response = paula_client.post(
            reverse("portal_check", args=[item.pk]), {"session": 1}, HTTP_HX_REQUEST="true"
        )

        assert response.status_code == 204
        assert response["HX-Redirect"] == reverse("login")
        assert not ExerciseLog.objects.exists()

    def test_the_api_answers_401(self, api_for, closed, accepted):
        response = api_for(closed.user).get("/api/v1/me/today/")

        assert response.status_code == 401


def _row_for_request(patient):
    """The patient's row as every portal page fetches it (with the gate's answer on it)."""
    from django.test import RequestFactory

    from portal.gate import patient_for_request

    request = RequestFactory().get("/portal/")
    request.user = patient.user
    return request, patient_for_request(request)


@pytest.mark.parametrize(
    "state", ["none published", "not accepted", "accepted", "newer version", "other clinic's"]
)
def test_the_page_row_and_the_plain_question_agree(state, patient, clinic, other_clinic):
    """The portal's patient row carries the gate's answer in its own query: it must say what
    the one-query question says in every case."""
    if state != "none published":
        default = Disclaimer.objects.create(
            clinic=None, kind=DisclaimerKind.MEDICAL, title="M", body="v1", version=1
        )
    if state in ("accepted", "newer version"):
        DisclaimerAcceptance.objects.create(clinic=clinic, patient=patient, disclaimer=default)
    if state == "newer version":
        Disclaimer.objects.create(
            clinic=clinic, kind=DisclaimerKind.MEDICAL, title="Ours", body="v2", version=1
        )
    if state == "other clinic's":
        theirs = Disclaimer.objects.create(
            clinic=other_clinic, kind=DisclaimerKind.MEDICAL, title="B", body="B", version=1
        )
        DisclaimerAcceptance.objects.create(clinic=clinic, patient=patient, disclaimer=theirs)
    expected = state in ("none published", "accepted")
    request, row = _row_for_request(patient)
    assert request.user.clinic is row.clinic  # the page header's clinic: no query of its own
    assert has_accepted_current_disclaimer(row) is expected
    assert has_accepted_current_disclaimer(patient) is expected
