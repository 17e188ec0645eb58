"""Every endpoint x method x role -> status. Roles: anonymous, paula (patient), peter (another
patient of the clinic), theo (therapist), alice (clinic admin) and bob (therapist of clinic B).

Clinic B's therapist gets 404 for clinic A's ids (existence is not leaked), 200 for lists
(his own clinic's, empty here) and 403 where the role itself may not act.

A case names the fixtures it uses in its URL (`{item.pk}`) and body (`f.item`), and NEEDS
lists the rows it relies on without naming them; each case builds only those.
"""

import pytest

ROLES = ["anonymous", "patient", "other_patient", "therapist", "admin", "outsider"]

STAFF_LIST = (401, 403, 403, 200, 200, 200)
STAFF_OWN = (401, 403, 403, 200, 200, 404)
STAFF_SHARED = (401, 403, 403, 200, 200, 200)
ADMIN_ONLY = (401, 403, 403, 403, 200, 403)
ANY_SIGNED_IN = (401, 200, 200, 200, 200, 200)
PATIENTS = (401, 200, 200, 403, 403, 403)


def mine(ok, others=404):
    """A patient endpoint on paula's row: peter gets `others` (404 for ids, 400 in bodies)."""
    return (401, ok, others, 403, 403, 403)


def new_exercise(f):
    return {
        "name": "Clam shell",
        "summary": "Open the knees.",
        "instructions": ["Lie on your side.", "Open the top knee."],
        "position": "side_lying",
        "starting_position": "On your side, knees bent.",
    }


def staff_own(ok):
    return (401, 403, 403, ok, ok, 404)


def staff_any(ok):
    return (401, 403, 403, ok, ok, ok)


CASES = [
    # --- auth
    ("current user", "get", "/api/v1/auth/user/", None, ANY_SIGNED_IN),
    ("revoke token", "delete", "/api/v1/auth/token/", None, (401, 204, 204, 204, 204, 204)),
    # --- catalog
    ("exercise list", "get", "/api/v1/exercises/", None, STAFF_LIST),
    ("library exercise", "get", "/api/v1/exercises/{bridge.pk}/", None, STAFF_SHARED),
    ("clinic exercise", "get", "/api/v1/exercises/{clinic_exercise.pk}/", None, STAFF_OWN),
    ("exercise create", "post", "/api/v1/exercises/", new_exercise, (401, 403, 403, 403, 201, 403)),
    (
        "exercise update",
        "patch",
        "/api/v1/exercises/{clinic_exercise.pk}/",
        lambda f: {"summary": "Slide the heel slowly."},
        ADMIN_ONLY,
    ),
    (
        "exercise archive",
        "post",
        "/api/v1/exercises/{clinic_exercise.pk}/archive/",
        None,
        ADMIN_ONLY,
    ),
    (
        "exercise restore",
        "post",
        "/api/v1/exercises/{clinic_exercise.pk}/restore/",
        None,
        ADMIN_ONLY,
    ),
    ("series list", "get", "/api/v1/series/", None, STAFF_LIST),
    ("library series", "get", "/api/v1/series/{library_series.pk}/", None, STAFF_SHARED),
    ("clinic series", "get", "/api/v1/series/{clinic_series.pk}/", None, STAFF_OWN),
    ("equipment list", "get", "/api/v1/equipment/", None, STAFF_LIST),
    ("clinic equipment", "get", "/api/v1/equipment/{band.pk}/", None, STAFF_OWN),
    ("disclaimer versions", "get", "/api/v1/disclaimers/", None, STAFF_LIST),
    ("current disclaimers", "get", "/api/v1/disclaimers/current/", None, STAFF_LIST),
    (
        "clinic disclaimer",
        "get",
        "/api/v1/disclaimers/{clinic_affiliate_disclaimer.pk}/",
        None,
        STAFF_OWN,
    ),
    (
        "disclaimer publish",
        "post",
        "/api/v1/disclaimers/",
        lambda f: {"kind": "medical", "title": "Read me", "body": "Education only."},
        (401, 403, 403, 403, 201, 403),
    ),
    # --- patients
    ("patient list", "get", "/api/v1/patients/", None, STAFF_LIST),
    (
        "patient create",
        "post",
        "/api/v1/patients/",
        lambda f: {"first_name": "Nia", "last_name": "New", "email": "nia@example.org"},
        staff_any(201),
    ),
    ("patient detail", "get", "/api/v1/patients/{patient.pk}/", None, STAFF_OWN),
    (
        "patient update",
        "patch",
        "/api/v1/patients/{patient.pk}/",
        lambda f: {"last_name": "Renamed"},
        STAFF_OWN,
    ),
    (
        "patient invitation",
        "post",
        "/api/v1/patients/{invitee.pk}/invitation/",
        None,
        staff_own(202),
    ),
    (
        "patient review",
        "post",
        "/api/v1/patients/{patient.pk}/review/",
        lambda f: {"kind": "morning"},
        staff_own(201),
    ),
    ("dashboard", "get", "/api/v1/dashboard/", None, STAFF_LIST),
    ("dashboard of the clinic", "get", "/api/v1/dashboard/?scope=all", None, STAFF_LIST),
    # --- programs
    ("program list", "get", "/api/v1/programs/", None, STAFF_LIST),
    (
        "program create",
        "post",
        "/api/v1/programs/",
        lambda f: {"patient": f.patient.pk, "title": "Knee", "template": f.clinic_template.pk},
        # clinic B's therapist names clinic A's patient and template: unknown ids, 400
        (401, 403, 403, 201, 201, 400),
    ),
    ("program detail", "get", "/api/v1/programs/{active_program.pk}/", None, STAFF_OWN),
    (
        "program update",
        "patch",
        "/api/v1/programs/{active_program.pk}/",
        lambda f: {"title": "Renamed", "weekdays": [0, 2, 4]},
        STAFF_OWN,
    ),
    ("program activate", "post", "/api/v1/programs/{draft_program.pk}/activate/", None, STAFF_OWN),
    ("program pause", "post", "/api/v1/programs/{active_program.pk}/pause/", None, STAFF_OWN),
    ("program complete", "post", "/api/v1/programs/{active_program.pk}/complete/", None, STAFF_OWN),
    (
        "program save as template",
        "post",
        "/api/v1/programs/{active_program.pk}/save-as-template/",
        lambda f: {"name": "From the API"},
        staff_own(201),
    ),
    (
        "program adherence",
        "get",
        "/api/v1/programs/{active_program.pk}/adherence/",
        None,
        STAFF_OWN,
    ),
    ("program logs", "get", "/api/v1/programs/{active_program.pk}/logs/", None, STAFF_OWN),
    ("item list", "get", "/api/v1/programs/{active_program.pk}/items/", None, STAFF_OWN),
    (
        "item add",
        "post",
        "/api/v1/programs/{active_program.pk}/items/",
        lambda f: {"exercise": f.clinic_exercise.pk, "sets": 3},
        staff_own(201),
    ),
    (
        "item detail",
        "get",
        "/api/v1/programs/{active_program.pk}/items/{item.pk}/",
        None,
        STAFF_OWN,
    ),
    (
        "item update",
        "patch",
        "/api/v1/programs/{active_program.pk}/items/{item.pk}/",
        lambda f: {"reps": 12},
        STAFF_OWN,
    ),
    (
        "item remove",
        "delete",
        "/api/v1/programs/{active_program.pk}/items/{item.pk}/",
        None,
        staff_own(204),
    ),
    (
        "item progress",
        "post",
        "/api/v1/programs/{active_program.pk}/items/{item.pk}/progress/",
        None,
        STAFF_OWN,
    ),
    (
        "item move",
        "post",
        "/api/v1/programs/{active_program.pk}/items/{item.pk}/move/",
        lambda f: {"direction": "down"},
        STAFF_OWN,
    ),
    ("template list", "get", "/api/v1/templates/", None, STAFF_LIST),
    ("template detail", "get", "/api/v1/templates/{clinic_template.pk}/", None, STAFF_OWN),
    # --- the patient's own
    ("me today", "get", "/api/v1/me/today/", None, PATIENTS),
    ("me programs", "get", "/api/v1/me/programs/", None, PATIENTS),
    ("me program", "get", "/api/v1/me/programs/{active_program.pk}/", None, mine(200)),
    ("me logs", "get", "/api/v1/me/logs/", None, PATIENTS),
    (
        "me log record",
        "post",
        "/api/v1/me/logs/",
        lambda f: {"program_item": f.item.pk, "pain": 2},
        mine(200, others=400),
    ),
    ("me log", "get", "/api/v1/me/logs/{todays_log.pk}/", None, mine(200)),
    (
        "me log update",
        "patch",
        "/api/v1/me/logs/{todays_log.pk}/",
        lambda f: {"pain": 3},
        mine(200),
    ),
    ("me log delete", "delete", "/api/v1/me/logs/{todays_log.pk}/", None, mine(204)),
    (
        "me log undo",
        "post",
        "/api/v1/me/logs/undo/",
        lambda f: {"program_item": f.item.pk},
        mine(200, others=400),
    ),
    ("me pain checks", "get", "/api/v1/me/pain-checks/", None, PATIENTS),
    (
        "me pain check",
        "post",
        "/api/v1/me/pain-checks/",
        lambda f: {"pain_now": 2, "compared_to_before": "same"},
        # peter has no program to check against
        mine(201, others=400),
    ),
    ("me disclaimer", "get", "/api/v1/me/disclaimer/", None, PATIENTS),
]


# Rows a case relies on without naming them in its URL or body.
NEEDS = {
    # recording and undoing act on today's existing check-off (200, not 201)
    "me log record": ["todays_log"],
    "me log undo": ["todays_log"],
    # a pain check needs an active program to check against
    "me pain check": ["active_program"],
    # the item moves down past the one below it
    "item move": ["single_leg_item"],
}


@pytest.fixture
def actor(request, patient, other_patient, therapist, clinic_admin, other_clinic_therapist):
    """The caller; the two patients have passed the disclaimer gate."""
    if request.param == "patient":
        request.getfixturevalue("accepted")
    if request.param == "other_patient":
        request.getfixturevalue("other_patient_accepted")
    return {
        "anonymous": None,
        "patient": patient.user,
        "other_patient": other_patient.user,
        "therapist": therapist,
        "admin": clinic_admin,
        "outsider": other_clinic_therapist,
    }[request.param]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected", "actor"),
    [
        pytest.param(name, method, url, body, statuses[index], role, id=f"{name}-{role}")
        for name, method, url, body, statuses in CASES
        for index, role in enumerate(ROLES)
    ],
    indirect=["actor"],
)
def test_status_by_role(by_name, api_for, name, method, url, body, expected, actor):
    fixtures = by_name
    for needed in NEEDS.get(name, []):
        fixtures[needed]
    client = api_for(actor)
    data = body(fixtures) if body else None
    response = getattr(client, method)(url.format_map(fixtures), data, format="json")

    assert response.status_code == expected, response.content
    if expected != 204:
        assert response["Content-Type"].startswith("application/json")
