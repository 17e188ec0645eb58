"""The patient's Reminders page and /api/v1/me/reminders/: on or off, time, e-mail, time zone;
the therapist's default time on the program; quiet hours refused with a clear message."""

import datetime

import pytest
from django.urls import reverse

from programs.models import ReminderSettings
from tests.factories import ProgramFactory

URL = "/portal/reminders/"


@pytest.fixture
def suggested(active_program):
    active_program.reminder_time = datetime.time(18, 0)
    active_program.save()
    return active_program


def test_the_page_shows_the_therapists_time_and_the_clinics_zone(paula_client, suggested):
    response = paula_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your therapist suggested 18:00." in page
    assert page.count("<h1") == 1
    assert 'aria-current="page"' in page


def test_saving_a_time_and_zone(paula_client, patient):
    response = paula_client.post(
        URL,
        {"enabled": "on", "time": "07:30", "by_email": "on", "timezone": "Europe/Madrid"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Your reminder settings are saved." in response.content.decode()
    saved = ReminderSettings.objects.get(patient=patient)
    assert (saved.enabled, saved.time, saved.by_email, saved.timezone) == (
        True,
        datetime.time(7, 30),
        True,
        "Europe/Madrid",
    )


def test_turning_reminders_off(paula_client, patient):
    paula_client.post(URL, {"time": "", "timezone": ""})
    saved = ReminderSettings.objects.get(patient=patient)
    assert saved.enabled is False and saved.by_email is False and saved.time is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"enabled": "on", "time": "22:15"}, "between 07:00 and 21:00"),
        ({"enabled": "on", "time": "noonish"}, "Enter a valid time."),
        ({"enabled": "on", "timezone": "Mars/Olympus"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_explained(paula_client, patient, data, message):
    response = paula_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in page and message in page
    assert not ReminderSettings.objects.filter(patient=patient).exists()


def test_anonymous_visitors_go_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_cannot_open_the_patients_reminders(client, therapist):
    client.force_login(therapist)
    assert client.get(URL).status_code in (302, 403, 404)


def test_the_therapist_sets_the_default_time_when_creating_a_program(
    client, therapist, patient, clinic
):
    client.force_login(therapist)
    form = client.get(reverse("program_create", args=[patient.pk])).content.decode()
    assert 'name="reminder_time"' in form and 'value="18:00"' in form
    response = client.post(
        reverse("program_create", args=[patient.pk]),
        {
            "title": "Knees",
            "start_date": clinic.today().isoformat(),
            "weekdays": ["0", "2", "4"],
            "sessions_per_day": "1",
            "max_pain": "5",
            "reminder_time": "09:15",
        },
    )
    assert response.status_code == 302
    assert patient.programs.get().reminder_time == datetime.time(9, 15)


def test_the_program_form_refuses_a_night_time(client, therapist, patient, clinic):
    client.force_login(therapist)
    response = client.post(
        reverse("program_create", args=[patient.pk]),
        {
            "title": "Knees",
            "start_date": clinic.today().isoformat(),
            "weekdays": ["0"],
            "sessions_per_day": "1",
            "max_pain": "5",
            "reminder_time": "23:00",
        },
    )
    assert response.status_code == 400
    assert "between 07:00 and 21:00" in response.content.decode()


# --- API ---------------------------------------------------------------------------------


API = "/api/v1/me/reminders/"


def test_api_shows_the_defaults(api_for, patient, accepted, suggested, clinic):
    body = api_for(patient.user).get(API).json()
    assert body == {
        "enabled": True,
        "time": None,
        "by_email": True,
        "by_push": False,
        "timezone": "",
        "default_time": "18:00:00",
        "clinic_timezone": clinic.timezone,
    }


def test_api_changes_them(api_for, patient, accepted):
    client = api_for(patient.user)
    response = client.patch(API, {"time": "08:45:31.5", "timezone": "Asia/Tokyo"}, format="json")
    assert response.status_code == 200
    assert response.json()["time"] == "08:45:00"
    saved = ReminderSettings.objects.get(patient=patient)
    assert saved.time == datetime.time(8, 45) and saved.timezone == "Asia/Tokyo"
    client.put(API, {"enabled": False}, format="json")
    assert ReminderSettings.objects.get(patient=patient).enabled is False


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time": "03:00"}, "time", "between 07:00 and 21:00"),
        ({"time": "soon"}, "time", "Time has wrong format"),
        ({"timezone": "Nowhere/Land"}, "timezone", "not a valid choice"),
        ({"enabled": "perhaps"}, "enabled", "Must be a valid boolean"),
    ],
)
def test_api_bad_input_is_a_400_with_the_field(api_for, patient, accepted, data, field, message):
    response = api_for(patient.user).patch(API, data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_api_is_for_patients_only(api_for, therapist):
    assert api_for(therapist).get(API).status_code == 403
    assert api_for(None).get(API).status_code in (401, 403)


def test_api_program_carries_the_reminder_time(api_for, therapist, patient, clinic):
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    client = api_for(therapist)
    response = client.patch(
        f"/api/v1/programs/{program.pk}/", {"reminder_time": "19:00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["reminder_time"] == "19:00:00"
    bad = client.patch(f"/api/v1/programs/{program.pk}/", {"reminder_time": "05:00"}, format="json")
    assert bad.status_code == 400 and "reminder_time" in bad.json()


def test_api_times_with_a_zone_or_fractions_are_kept_to_the_minute(
    api_for, therapist, patient, clinic, accepted
):
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    response = api_for(therapist).patch(
        f"/api/v1/programs/{program.pk}/", {"reminder_time": "19:05:33.5Z"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["reminder_time"] == "19:05:00"
    mine = api_for(patient.user).patch(API, {"time": "10:26:34.5Z"}, format="json")
    assert mine.status_code == 200 and mine.json()["time"] == "10:26:00"
