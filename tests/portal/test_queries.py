"""The today page (and the other list-like portal pages) run a fixed number of queries,
whatever the number of items due and of past logs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import ExerciseLog
from tests.factories import LibraryExerciseFactory, ProgramItemFactory, backdate

# User, patient (with the disclaimer gate's answer and the clinic named in the page header),
# pain check (2), questionnaires due, programs, items, today's logs; one spare (the session
# read when the cache misses).
TODAY_PAGE_MAX_QUERIES = 10  # 9 for the page, 1 for its audit event


def build(active_program, patient, items: int, past_logs: int, first_position: int = 1):
    created = [
        backdate(
            ProgramItemFactory(
                program=active_program,
                exercise=LibraryExerciseFactory(),
                position=first_position + n,
            ),
            3,
        )
        for n in range(items)
    ]
    start = active_program.clinic.today() - datetime.timedelta(days=1)
    per_item = -(-past_logs // items)  # ceiling
    logs = []
    for item in created:
        for n in range(per_item):
            if len(logs) == past_logs:
                break
            logs.append(
                ExerciseLog(
                    program_item=item,
                    clinic=patient.clinic,
                    patient=patient,
                    performed_on=start - datetime.timedelta(days=n),
                    pain=2,
                    sets_done=2,
                    reps_done=10,
                )
            )
    ExerciseLog.objects.bulk_create(logs, batch_size=1000)
    assert ExerciseLog.objects.filter(program_item__in=created).count() == past_logs
    return created


@pytest.mark.parametrize("items", [1, 12])
@pytest.mark.parametrize("past_logs", [0, 5000])
def test_today_page_queries_are_bounded(
    paula_client, active_program, patient, items, past_logs, django_assert_max_num_queries
):
    build(active_program, patient, items, past_logs)
    paula_client.post(reverse("portal_pain_check_later"))  # yesterday has logs: skip the question
    with django_assert_max_num_queries(TODAY_PAGE_MAX_QUERIES):
        response = paula_client.get(reverse("portal_home"))
    assert response.status_code == 200
    assert response.content.decode().count("Mark as done") == items


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url_name", ["portal_home", "portal_history", "portal_missed_days", "portal_day_yesterday"]
)
def test_query_count_does_not_grow_with_data(
    paula_client, active_program, patient, clinic, url_name
):
    """Same number of queries with 1 item and no logs as with 12 items and 5,000 logs."""
    yesterday = (clinic.today() - datetime.timedelta(days=1)).isoformat()
    url = (
        reverse("portal_day", args=[yesterday])
        if url_name == "portal_day_yesterday"
        else reverse(url_name)
    )
    build(active_program, patient, 1, 0)
    small = count_queries(paula_client, url)
    ExerciseLog.objects.all().delete()
    build(active_program, patient, 11, 5000, first_position=2)
    paula_client.post(reverse("portal_pain_check_later"))
    large = count_queries(paula_client, url)
    print(f"\n{url_name}: {small} queries (1 item, 0 logs), {large} (12 items, 5,000 logs)")
    assert small == large


def test_exercise_page_queries_are_bounded(
    paula_client, active_program, patient, django_assert_max_num_queries
):
    item = build(active_program, patient, 1, 300)[0]
    # User, patient (with the disclaimer gate), item, its log, equipment, the audit event.
    with django_assert_max_num_queries(7):
        assert paula_client.get(reverse("portal_exercise", args=[item.pk])).status_code == 200
