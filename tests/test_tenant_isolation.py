"""Every URL pattern and API route that takes an id, walked: another clinic's object answers
404 to every actor of clinic A, and another patient's object answers 404 to the patient.

`ID_ROUTES` names the object each id stands for; `test_every_route_with_an_id_is_covered`
fails when a route with an id is added without a line here, so a new view cannot skip this.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from exercises.models import DisclaimerKind
from programs.models import DisclaimerAcceptance, PainCheck, ProgramStatus, ProgramTemplate
from tests.factories import (
    AdminFactory,
    ClinicFactory,
    DisclaimerFactory,
    EquipmentFactory,
    ExerciseFactory,
    ExerciseLogFactory,
    InstrumentFactory,
    MeasureAssignmentFactory,
    PatientWithAccountFactory,
    ProgramFactory,
    ProgramItemFactory,
    SeriesFactory,
    StepFactory,
    TherapistFactory,
)

STAFF = ("admin", "therapist")
PATIENT = ("patient",)
WEB = ("get", "post")


@dataclass(frozen=True)
class Route:
    ids: dict  # url kwarg -> key of the object in a clinic's world
    actors: tuple
    methods: tuple
    writers: tuple = ()  # who may write, when fewer than the readers
    fixed: tuple = ()  # (url kwarg, value) pairs that are not ids

    def actors_for(self, method: str) -> tuple:
        return self.writers if self.writers and method != "get" else self.actors


PATIENTS_ASSIGNMENT = {"patient_pk": "patient", "pk": "assignment"}

ID_ROUTES = {
    # --- Catalog (clinic staff read, admins write) ---
    "catalog:exercise_detail": Route({"pk": "exercise"}, STAFF, ("get",)),
    "catalog:exercise_image": Route({"pk": "exercise"}, STAFF, ("get",)),
    "catalog:exercise_video": Route({"pk": "exercise"}, STAFF, ("get",)),
    "catalog:exercise_video_poster": Route({"pk": "exercise"}, STAFF, ("get",)),
    "catalog:exercise_illustration": Route(
        {"pk": "exercise"}, STAFF, ("get",), fixed=(("frame", "start"),)
    ),
    "catalog:exercise_edit": Route({"pk": "exercise"}, ("admin",), WEB),
    "catalog:exercise_poses": Route({"pk": "exercise"}, ("admin",), WEB),
    "catalog:exercise_poses_preview": Route(
        {"pk": "exercise"}, ("admin",), ("get",), fixed=(("frame", "start"),)
    ),
    "catalog:exercise_archive": Route({"pk": "exercise"}, ("admin",), ("post",)),
    "catalog:exercise_restore": Route({"pk": "exercise"}, ("admin",), ("post",)),
    "catalog:exercise_copy": Route({"pk": "exercise"}, ("admin",), ("post",)),
    "catalog:series_detail": Route({"pk": "series"}, STAFF, ("get",)),
    "catalog:series_edit": Route({"pk": "series"}, ("admin",), WEB),
    "catalog:series_step_add": Route({"pk": "series"}, ("admin",), ("post",)),
    "catalog:series_step_edit": Route({"pk": "series", "step_pk": "step"}, ("admin",), ("post",)),
    "catalog:series_step_move": Route({"pk": "series", "step_pk": "step"}, ("admin",), ("post",)),
    "catalog:series_step_remove": Route({"pk": "series", "step_pk": "step"}, ("admin",), ("post",)),
    "catalog:equipment_edit": Route({"pk": "equipment"}, ("admin",), WEB),
    "catalog:disclaimer_detail": Route({"pk": "disclaimer"}, STAFF, ("get",)),
    # --- Patients and programs (clinic staff) ---
    "patient_detail": Route({"pk": "patient"}, STAFF, ("get",)),
    "patient_edit": Route({"pk": "patient"}, STAFF, WEB),
    "patient_invitation_resend": Route({"pk": "patient"}, STAFF, ("post",)),
    "patient_access": Route({"pk": "patient"}, ("admin",), ("post",)),
    "team_member_access": Route({"pk": "therapist"}, ("admin",), ("post",)),
    "attention_review": Route({"pk": "patient"}, STAFF, ("post",)),
    "program_create": Route({"patient_pk": "patient"}, STAFF, WEB),
    "measure_assign": Route({"pk": "patient"}, STAFF, WEB),
    "measure_stop": Route({"pk": "assignment"}, STAFF, ("post",)),
    "program_detail": Route({"pk": "program"}, STAFF, ("get",)),
    "program_edit": Route({"pk": "program"}, STAFF, WEB),
    "program_status": Route({"pk": "program"}, STAFF, ("post",)),
    "program_item_add": Route({"pk": "program"}, STAFF, ("post",)),
    "program_save_as_template": Route({"pk": "program"}, STAFF, WEB),
    "program_handout": Route({"pk": "program"}, STAFF, ("get",)),
    "program_handout_pdf": Route({"pk": "program"}, STAFF, ("get",)),
    "program_handout_email": Route({"pk": "program"}, STAFF, ("post",)),
    "program_copy": Route({"pk": "program"}, STAFF, ("post",)),
    "program_item_edit": Route({"pk": "item"}, STAFF, WEB),
    "program_item_move": Route({"pk": "item"}, STAFF, ("post",)),
    "program_item_remove": Route({"pk": "item"}, STAFF, ("post",)),
    "program_item_next": Route({"pk": "item"}, STAFF, WEB),
    "program_item_previous": Route({"pk": "item"}, STAFF, WEB),
    # --- Clinic admins: a colleague's lost two-step device ---
    "team_two_step_reset": Route({"user_id": "therapist"}, ("admin",), ("post",)),
    # --- The patient's portal ---
    "portal_exercise": Route({"pk": "item"}, PATIENT, WEB),
    "portal_check": Route({"pk": "item"}, PATIENT, ("post",)),
    "portal_undo": Route({"pk": "item"}, PATIENT, ("post",)),
    "portal_item_image": Route({"pk": "item"}, PATIENT, ("get",)),
    "portal_item_video": Route({"pk": "item"}, PATIENT, ("get",)),
    "portal_item_video_poster": Route({"pk": "item"}, PATIENT, ("get",)),
    "portal_questionnaire": Route({"pk": "assignment"}, PATIENT, WEB),
    "portal_questionnaire_review": Route({"pk": "assignment"}, PATIENT, WEB),
    "portal_item_illustration": Route(
        {"pk": "item"}, PATIENT, ("get",), fixed=(("frame", "animated"),)
    ),
    # --- API ---
    "api:exercise-detail": Route({"pk": "exercise"}, STAFF, ("get", "patch"), ("admin",)),
    "api:exercise-archive": Route({"pk": "exercise"}, ("admin",), ("post",)),
    "api:exercise-restore": Route({"pk": "exercise"}, ("admin",), ("post",)),
    "api:series-detail": Route({"pk": "series"}, STAFF, ("get",)),
    "api:equipment-detail": Route({"pk": "equipment"}, STAFF, ("get",)),
    "api:disclaimer-detail": Route({"pk": "disclaimer"}, STAFF, ("get",)),
    "api:patient-detail": Route({"pk": "patient"}, STAFF, ("get", "patch")),
    "api:patient-invitation": Route({"pk": "patient"}, STAFF, ("post",)),
    "api:patient-deactivate": Route({"pk": "patient"}, ("admin",), ("post",)),
    "api:patient-reactivate": Route({"pk": "patient"}, ("admin",), ("post",)),
    "api:team-member-detail": Route({"pk": "therapist"}, ("admin",), ("get",)),
    "api:team-member-deactivate": Route({"pk": "therapist"}, ("admin",), ("post",)),
    "api:team-member-reactivate": Route({"pk": "therapist"}, ("admin",), ("post",)),
    "api:patient-review": Route({"pk": "patient"}, STAFF, ("post",)),
    "api:program-detail": Route({"pk": "program"}, STAFF, ("get", "patch")),
    "api:program-activate": Route({"pk": "program"}, STAFF, ("post",)),
    "api:program-adherence": Route({"pk": "program"}, STAFF, ("get",)),
    "api:program-complete": Route({"pk": "program"}, STAFF, ("post",)),
    "api:program-copy": Route({"pk": "program"}, STAFF, ("post",)),
    "api:program-pause": Route({"pk": "program"}, STAFF, ("post",)),
    "api:program-save-as-template": Route({"pk": "program"}, STAFF, ("post",)),
    "api:program-item-list": Route({"program_pk": "program"}, STAFF, ("get", "post")),
    "api:program-item-detail": Route(
        {"program_pk": "program", "pk": "item"}, STAFF, ("get", "patch", "delete")
    ),
    "api:program-item-move": Route({"program_pk": "program", "pk": "item"}, STAFF, ("post",)),
    "api:program-item-progress": Route({"program_pk": "program", "pk": "item"}, STAFF, ("post",)),
    "api:program-item-regress": Route({"program_pk": "program", "pk": "item"}, STAFF, ("post",)),
    "api:program-log-list": Route({"program_pk": "program"}, STAFF, ("get",)),
    "api:template-detail": Route({"pk": "template"}, STAFF, ("get",)),
    "api:measure-detail": Route({"pk": "instrument"}, STAFF, ("get",)),
    "api:patient-measure-list": Route({"patient_pk": "patient"}, STAFF, ("get", "post")),
    "api:patient-measure-detail": Route(
        {"patient_pk": "patient", "pk": "assignment"}, STAFF, ("get",)
    ),
    "api:patient-measure-stop": Route(
        {"patient_pk": "patient", "pk": "assignment"}, STAFF, ("post",)
    ),
    "api:me-measure-detail": Route({"pk": "assignment"}, PATIENT, ("get",)),
    "api:me-measure-answer": Route({"pk": "assignment"}, PATIENT, ("post",)),
    "api:me-program-detail": Route({"pk": "program"}, PATIENT, ("get",)),
    "api:me-log-detail": Route({"pk": "log"}, PATIENT, ("get", "patch", "delete")),
}

# Routes with an id that is not a clinic object: signed tokens, dates, the Django admin
# (platform staff only), and a disclaimer kind.
NOT_OBJECT_IDS = {
    "sign_in_link",
    "invitation_accept",
    "password_reset_confirm",
    "portal_day",
    # Positions in the signed-in patient's own list for today (the posted item is checked in
    # tests/portal/test_guided_session.py: another patient's answers 404).
    "portal_session_step",
    "portal_session_done",
    "portal_unsubscribe",  # a signed token: tampered ones are tested in test_reminder_email
}
NOT_OBJECT_NAMESPACES = {"admin"}
NOT_OBJECT_KWARGS = {"kind"}


def _routes_with_ids(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes_with_ids(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                pattern.namespace or namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groupindex:
            kwargs = set(pattern.pattern.regex.groupindex) - NOT_OBJECT_KWARGS
            if kwargs and namespace not in NOT_OBJECT_NAMESPACES:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_with_an_id_is_covered():
    routes = set(_routes_with_ids(get_resolver().url_patterns)) - NOT_OBJECT_IDS
    assert routes - set(ID_ROUTES) == set(), "add these routes to ID_ROUTES"
    assert set(ID_ROUTES) - routes == set(), "these routes no longer exist"


def _world(clinic, *, name, medical=None):
    """One clinic's people and one of each object a route can name."""
    therapist = TherapistFactory(clinic=clinic, email=f"{name}-therapist@example.org")
    patient = PatientWithAccountFactory(
        clinic=clinic, primary_therapist=therapist, email=f"{name}-patient@example.org"
    )
    medical = medical or DisclaimerFactory(clinic=clinic, kind=DisclaimerKind.MEDICAL)
    DisclaimerAcceptance.objects.create(clinic=clinic, patient=patient, disclaimer=medical)
    exercise = ExerciseFactory(clinic=clinic)
    series = SeriesFactory(clinic=clinic)
    program = ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, status=ProgramStatus.ACTIVE
    )
    item = ProgramItemFactory(program=program, exercise=exercise, position=1)
    PainCheck.objects.create(
        clinic=clinic,
        patient=patient,
        program=program,
        checked_on=clinic.today(),
        pain_now=1,
        compared_to_before="same",
    )
    instrument = InstrumentFactory(clinic=clinic)
    return {
        "instrument": instrument,
        "assignment": MeasureAssignmentFactory(patient=patient, instrument=instrument),
        "admin": AdminFactory(clinic=clinic, email=f"{name}-admin@example.org"),
        "therapist": therapist,
        "patient": patient,
        "exercise": exercise,
        "series": series,
        "step": StepFactory(series=series, exercise=exercise, position=1),
        "equipment": EquipmentFactory(clinic=clinic),
        "disclaimer": medical,
        "program": program,
        "item": item,
        "log": ExerciseLogFactory(program_item=item, performed_on=clinic.today()),
        "template": ProgramTemplate.objects.create(clinic=clinic, name="T", slug=f"t-{name}"),
    }


@pytest.fixture
def clinics(db):
    a = ClinicFactory(name="Clinic A", slug="clinic-a")
    b = ClinicFactory(name="Clinic B", slug="clinic-b")
    home = _world(a, name="a")
    # Another patient of clinic A, with their own program: the patient's outsider.
    neighbour = _world(a, name="a2", medical=home["disclaimer"])
    return home, neighbour, _world(b, name="b")


def _url(name, route, objects):
    kwargs = {kwarg: objects[key].pk for kwarg, key in route.ids.items()}
    return reverse(name, kwargs={**kwargs, **dict(route.fixed)})


def _request(user, name, method, url):
    if name.startswith("api:"):
        client = APIClient()
        client.force_authenticate(user)
        return getattr(client, method)(url, {}, format="json")
    client = Client()
    client.force_login(user)
    return getattr(client, method)(url, {})


def _user(actor):
    return actor.user if hasattr(actor, "user") else actor


def _statuses(actor_world, target_world, *, only_patient_routes=False, method=None):
    """(route, method, actor) -> status for every request the table describes."""
    statuses = {}
    for name, route in ID_ROUTES.items():
        if only_patient_routes and route.actors != PATIENT:
            continue
        for verb in (method,) if method else route.methods:
            if verb not in route.methods:
                continue
            for actor in route.actors_for(verb):
                url = _url(name, route, target_world)
                response = _request(_user(actor_world[actor]), name, verb, url)
                statuses[(name, verb, actor)] = response.status_code
    return statuses


def test_another_clinics_objects_answer_404(clinics):
    home, _neighbour, other = clinics

    statuses = _statuses(home, other)

    assert len(statuses) > 100
    assert {case: code for case, code in statuses.items() if code != 404} == {}


def test_another_patients_objects_answer_404(clinics):
    home, neighbour, _other = clinics

    statuses = _statuses(home, neighbour, only_patient_routes=True)

    assert len(statuses) >= 9
    assert {case: code for case, code in statuses.items() if code != 404} == {}


# Pictures answer 404 when the exercise has none, which these worlds do not store.
NO_PICTURE = {
    "catalog:exercise_image",
    "portal_item_image",
    "catalog:exercise_video",
    "portal_item_video",
    "catalog:exercise_video_poster",
    "portal_item_video_poster",
    "catalog:exercise_illustration",
    "portal_item_illustration",
}
# A questionnaire without a step answers 302 to the first unanswered question.
RESUMES = {"portal_questionnaire"}


def test_the_actors_own_objects_are_found(clinics):
    """The same reads of clinic A's own objects answer 200: the 404s above come from the
    tenant filter, not from routes that never find anything."""
    home, _neighbour, _other = clinics

    statuses = _statuses(home, home, method="get")

    assert len(statuses) > 30
    assert {
        case: code
        for case, code in statuses.items()
        if code != 200 and case[0] not in NO_PICTURE | RESUMES
    } == {}
