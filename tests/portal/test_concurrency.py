"""Concurrent check-offs of the same item, day and session end with exactly one log.

Runs on PostgreSQL only: SQLite serializes every write on one file lock, so the race this
guards against (two transactions inserting the same row at once) cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections

from portal.services import disclaimer_accept, exercise_log_record
from programs.models import DisclaimerAcceptance, ExerciseLog

THREADS = 8
ROUNDS = 3

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency needs PostgreSQL (SQLite serializes writes); "
            "run with DATABASE_URL=postgres://..."
        )


def run_at_once(target, count=THREADS):
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            target(n)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_concurrent_check_offs_make_one_log(patient, item, clinic):
    today = clinic.today()
    for round_number in range(ROUNDS):
        ExerciseLog.objects.all().delete()
        errors = run_at_once(
            lambda n: exercise_log_record(
                patient=patient, item=item, performed_on=today, pain=n % 11, note=f"tab {n}"
            )
        )
        assert errors == [], f"round {round_number}: {errors!r}"
        logs = list(ExerciseLog.objects.all())
        assert len(logs) == 1
        assert logs[0].note.startswith("tab ")  # one of the submissions, whole


def test_concurrent_acceptances_make_one_row(patient, medical_disclaimer):
    errors = run_at_once(
        lambda n: disclaimer_accept(
            patient=patient, disclaimer_id=medical_disclaimer.pk, ip=f"192.0.2.{n}"
        )
    )
    assert errors == []
    assert DisclaimerAcceptance.objects.count() == 1
