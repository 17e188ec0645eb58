"""The list and exercise pages run a bounded number of queries, whatever the catalog size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.models import DisclaimerKind
from tests.factories import (
    BodyRegionFactory,
    DisclaimerFactory,
    EquipmentFactory,
    ExerciseFactory,
    LibraryEquipmentFactory,
    LibraryExerciseFactory,
    MuscleFactory,
    SeriesFactory,
    StepFactory,
)

LIST_PAGE_MAX = 12
DETAIL_PAGE_MAX = 12


def build_catalog(clinic, size):
    """`size` exercises, half library and half clinic, each with muscles, regions and
    equipment (some with purchase links), all in series of five steps."""
    regions = [BodyRegionFactory() for _ in range(3)]
    muscles = [MuscleFactory(body_region=regions[i % 3]) for i in range(4)]
    equipment = [
        LibraryEquipmentFactory(purchase_url="https://shop.example.org/mat"),
        EquipmentFactory(clinic=clinic, purchase_url="https://shop.example.org/band"),
    ]
    DisclaimerFactory(clinic=None, kind=DisclaimerKind.AFFILIATE)
    exercises = []
    for i in range(size):
        factory = LibraryExerciseFactory if i % 2 else ExerciseFactory
        kwargs = {} if i % 2 else {"clinic": clinic}
        exercises.append(
            factory(
                muscles=muscles[: 1 + i % 4],
                body_regions=regions[: 1 + i % 3],
                equipment=[equipment[0]] if i % 2 else equipment,
                **kwargs,
            )
        )
    # Clinic series may mix library and clinic exercises.
    for start in range(0, size, 5):
        series = SeriesFactory(clinic=clinic)
        for position, exercise in enumerate(exercises[start : start + 5], start=1):
            StepFactory(series=series, exercise=exercise, position=position)
    return exercises


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("size", [10, 200])
def test_list_page_query_count_is_bounded(
    client_for, therapist, clinic, size, django_assert_max_num_queries
):
    build_catalog(clinic, size)
    client = client_for(therapist)
    client.get(reverse("catalog:exercise_list"))  # warm the session and content types
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        response = client.get(reverse("catalog:exercise_list"), {"q": "exercise"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 25)
    print(f"list page, {size} exercises: {count_queries(client, reverse('catalog:exercise_list'))}")


@pytest.mark.parametrize("size", [10, 200])
def test_exercise_page_query_count_is_bounded(
    client_for, clinic_admin, clinic, size, django_assert_max_num_queries
):
    exercises = build_catalog(clinic, size)
    client = client_for(clinic_admin)
    # A library exercise in the middle of a series: the page also looks for a clinic copy.
    middle = next(
        exercise
        for index, exercise in enumerate(exercises)
        if index >= size // 2 and index % 5 and exercise.clinic_id is None
    )
    client.get(middle.get_absolute_url())
    with django_assert_max_num_queries(DETAIL_PAGE_MAX):
        response = client.get(middle.get_absolute_url())
    assert response.status_code == 200
    assert response.context["places"][0].previous is not None
    assert response.context["affiliate_disclaimer"] is not None
    print(f"exercise page, {size} exercises: {count_queries(client, middle.get_absolute_url())}")


@pytest.mark.parametrize("size", [10, 200])
def test_series_list_query_count_is_bounded(
    client_for, therapist, clinic, size, django_assert_max_num_queries
):
    build_catalog(clinic, size)
    client = client_for(therapist)
    with django_assert_max_num_queries(LIST_PAGE_MAX):
        response = client.get(reverse("catalog:series_list"))
    assert response.status_code == 200
    assert len(response.context["series_list"]) == size // 5
