"""One error format, pages, throttling with Retry-After, ETags."""

import pytest
from rest_framework.test import APIClient

from programs.models import Program


def test_unknown_api_path_is_a_json_404(db):
    response = APIClient().post("/api/v1/no-such-thing/", {}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_id_is_a_json_404(api_for, therapist):
    response = api_for(therapist).get("/api/v1/programs/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_anonymous_is_a_json_401_with_a_challenge(db):
    response = APIClient().get("/api/v1/programs/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_wrong_role_is_a_json_403(accepted, api_for, patient):
    response = api_for(patient.user).get("/api/v1/programs/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_session_writes_need_the_csrf_token(active_program, therapist):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(therapist)

    response = client.post(f"/api/v1/programs/{active_program.pk}/pause/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_server_errors_are_json(active_program, api_for, therapist, monkeypatch):
    from programs import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "program_adherence", broken)
    client = api_for(therapist)
    client.raise_request_exception = False

    response = client.get(f"/api/v1/programs/{active_program.pk}/adherence/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "server_error"}


def test_pages_are_bounded(
    bridge_series, clinic_exercise, other_clinic_exercise, api_for, therapist
):
    client = api_for(therapist)

    page = client.get("/api/v1/exercises/", {"page_size": 1}).json()
    too_big = client.get("/api/v1/exercises/", {"page_size": 5000}).json()
    past_the_end = client.get("/api/v1/exercises/", {"page": 99})

    # the library's three bridges and clinic A's heel slide; clinic B's wall sit is not seen
    assert page["count"] == 4 and len(page["results"]) == 1 and page["next"]
    assert len(too_big["results"]) == 4  # capped at 100, not refused
    assert past_the_end.status_code == 404


def test_ordering_and_filtering(bridge_series, clinic_exercise, api_for, therapist):
    client = api_for(therapist)

    names = [
        e["name"] for e in client.get("/api/v1/exercises/", {"ordering": "-name"}).json()["results"]
    ]
    found = client.get("/api/v1/exercises/", {"q": "single"}).json()["results"]

    assert names == sorted(names, reverse=True)
    assert [e["name"] for e in found] == ["Single-leg bridge"]


def test_updated_after_lets_apps_sync(active_program, draft_program, api_for, therapist):
    client = api_for(therapist)
    changed = Program.objects.latest("updated_at").updated_at.isoformat()

    response = client.get("/api/v1/programs/", {"updated_after": changed})
    client.patch(f"/api/v1/programs/{active_program.pk}/", {"title": "New"}, format="json")
    later = client.get("/api/v1/programs/", {"updated_after": changed})

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert [p["id"] for p in later.json()["results"]] == [active_program.pk]


def test_etag_answers_304_until_the_object_changes(active_program, api_for, therapist):
    client = api_for(therapist)
    url = f"/api/v1/programs/{active_program.pk}/"
    etag = client.get(url)["ETag"]

    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    client.patch(url, {"title": "Changed"}, format="json")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute", "token": "2/minute"},
    }


@pytest.mark.usefixtures("low_rates")
def test_user_throttle_answers_429_with_retry_after(api_for, therapist):
    client = api_for(therapist)
    for _ in range(3):
        assert client.get("/api/v1/templates/").status_code == 200

    response = client.get("/api/v1/templates/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


@pytest.mark.usefixtures("low_rates")
def test_anonymous_throttle(db):
    """Anonymous callers reach only the token endpoint (and the schema)."""
    client = APIClient()
    for _ in range(2):
        client.post("/api/v1/auth/token/", {"email": "a@example.org", "password": "x"})

    response = client.post("/api/v1/auth/token/", {"email": "a@example.org", "password": "x"})

    assert response.status_code == 429
    assert "Retry-After" in response
