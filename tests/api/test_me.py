"""The patient's endpoints follow the portal's rules: the disclaimer gate, idempotent
check-offs, same-day undo, one pain check a morning."""

from datetime import timedelta

from exercises import services as catalog_services
from programs.models import DisclaimerAcceptance, ExerciseLog, PainCheck


def test_a_new_disclaimer_version_closes_the_gate(accepted, api_for, patient, clinic):
    new = catalog_services.disclaimer_publish(
        clinic=clinic, kind="medical", title="Read again", body="Changed."
    )
    client = api_for(patient.user)

    blocked = client.get("/api/v1/me/today/")
    status = client.get("/api/v1/me/disclaimer/").json()

    assert blocked.status_code == 403
    assert blocked.json()["code"] == "disclaimer_required"
    assert status["accepted"] is False and status["current"]["id"] == new.pk


def test_accepting_the_current_version_opens_the_gate(accepted, api_for, patient, clinic):
    new = catalog_services.disclaimer_publish(
        clinic=clinic, kind="medical", title="Read again", body="Changed."
    )
    client = api_for(patient.user)

    response = client.post(
        "/api/v1/me/disclaimer/", {"disclaimer": new.pk}, format="json", HTTP_USER_AGENT="App/1"
    )

    assert response.status_code == 200 and response.json()["accepted"] is True
    assert DisclaimerAcceptance.objects.get(disclaimer=new).user_agent == "App/1"
    assert client.get("/api/v1/me/today/").status_code == 200


def test_an_outdated_version_cannot_be_accepted(
    accepted, medical_disclaimer, api_for, patient, clinic
):
    catalog_services.disclaimer_publish(clinic=clinic, kind="medical", title="v2", body="New.")

    response = api_for(patient.user).post(
        "/api/v1/me/disclaimer/", {"disclaimer": medical_disclaimer.pk}, format="json"
    )

    assert response.status_code == 400
    assert "newer version" in str(response.json())


def test_today_lists_the_due_exercises_with_their_logs(
    accepted, item, single_leg_item, todays_log, api_for, patient
):
    plan = api_for(patient.user).get("/api/v1/me/today/").json()

    entries = {entry["item"]["id"]: entry for entry in plan["entries"]}
    assert set(entries) == {item.pk, single_leg_item.pk}
    assert entries[item.pk]["is_done"] is True
    assert entries[item.pk]["item"]["exercise"]["instructions"]
    assert plan["done"] == 1 and plan["total"] == 2


def test_checking_off_twice_keeps_one_log(accepted, single_leg_item, api_for, patient):
    client = api_for(patient.user)
    body = {"program_item": single_leg_item.pk, "pain": 2}

    first = client.post("/api/v1/me/logs/", body, format="json")
    second = client.post("/api/v1/me/logs/", {**body, "pain": 4}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    log = ExerciseLog.objects.get(program_item=single_leg_item)
    assert log.pain == 4 and log.sets_done == single_leg_item.sets


def test_update_changes_only_what_is_sent(accepted, todays_log, api_for, patient):
    response = api_for(patient.user).patch(
        f"/api/v1/me/logs/{todays_log.pk}/", {"difficulty": "hard"}, format="json"
    )

    assert response.status_code == 200
    todays_log.refresh_from_db()
    assert todays_log.difficulty == "hard" and todays_log.pain == 2


def test_undo_is_harmless_twice(accepted, item, todays_log, api_for, patient):
    client = api_for(patient.user)
    body = {"program_item": item.pk}

    first = client.post("/api/v1/me/logs/undo/", body, format="json")
    second = client.post("/api/v1/me/logs/undo/", body, format="json")

    assert first.json() == {"undone": True} and second.json() == {"undone": False}
    assert not ExerciseLog.objects.filter(program_item=item).exists()


def test_an_earlier_day_cannot_be_undone(accepted, todays_log, api_for, patient, clinic):
    todays_log.performed_on = clinic.today() - timedelta(days=1)
    todays_log.save()

    response = api_for(patient.user).delete(f"/api/v1/me/logs/{todays_log.pk}/")

    assert response.status_code == 400
    assert ExerciseLog.objects.filter(pk=todays_log.pk).exists()


def test_another_patients_log_is_404(todays_log, other_patient_accepted, api_for, other_patient):
    response = api_for(other_patient.user).patch(
        f"/api/v1/me/logs/{todays_log.pk}/", {"pain": 9}, format="json"
    )

    assert response.status_code == 404
    todays_log.refresh_from_db()
    assert todays_log.pain == 2


def test_one_pain_check_a_morning(accepted, active_program, api_for, patient):
    client = api_for(patient.user)
    client.post("/api/v1/me/pain-checks/", {"pain_now": 2, "compared_to_before": "same"})
    response = client.post(
        "/api/v1/me/pain-checks/", {"pain_now": 7, "compared_to_before": "worse"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["needs_attention"] is True
    assert PainCheck.objects.get().pain_now == 7


def test_missed_day_of_last_week(accepted, item, api_for, patient, clinic):
    client = api_for(patient.user)
    yesterday = (clinic.today() - timedelta(days=1)).isoformat()
    too_old = (clinic.today() - timedelta(days=30)).isoformat()

    assert client.get("/api/v1/me/today/", {"day": yesterday}).json()["day"] == yesterday
    assert client.get("/api/v1/me/today/", {"day": too_old}).status_code == 400
    assert client.get("/api/v1/me/today/", {"day": "soon"}).status_code == 400


def test_logs_of_a_paused_program_are_hidden_like_in_the_portal(
    accepted, active_program, todays_log, api_for, patient
):
    active_program.status = "paused"
    active_program.save(update_fields=["status"])
    client = api_for(patient.user)

    listed = client.get("/api/v1/me/logs/").json()
    detail = client.get(f"/api/v1/me/logs/{todays_log.pk}/")

    assert listed["count"] == 0
    assert detail.status_code == 404
