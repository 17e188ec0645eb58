"""Trends drawn on the server: no, one and many points, the text summary and data table, and
the three pages that show them."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.services import exercise_log_record
from programs import status
from programs.charts import (
    WEEKS,
    exercise_pain_chart,
    morning_pain_chart,
    program_day_records,
    weekly_adherence_chart,
)
from programs.models import ExerciseLog, PainCheck, ProgramItem
from tests.factories import (
    ExerciseLogFactory,
    LibraryExerciseFactory,
    PainCheckFactory,
    ProgramFactory,
    ProgramItemFactory,
)


@pytest.fixture
def today(clinic):
    return clinic.today()


@pytest.fixture
def program(clinic, patient, therapist, today):
    return ProgramFactory(
        clinic=clinic, patient=patient, therapist=therapist, start_date=today - timedelta(days=90)
    )


@pytest.fixture
def item(program):
    item = ProgramItemFactory(
        program=program, position=1, exercise=LibraryExerciseFactory(name="Bridge")
    )
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=90))
    item.refresh_from_db()
    return item


def _render(chart):
    return render_to_string("programs/includes/chart.html", {"chart": chart})


# --- Weekly adherence ----------------------------------------------------------------------


def test_no_schedule_draws_no_line_and_says_so(today):
    chart = weekly_adherence_chart([], today)

    html = _render(chart)
    assert chart.is_empty
    assert "<svg" not in html
    assert "Nothing was scheduled in the last 12 weeks." in html
    assert "No data to draw yet." in html


def test_one_week_is_one_dot_and_one_table_row(today):
    records = [(today - timedelta(days=n), 1, 1 if n < 4 else 0) for n in range(7)]

    chart = weekly_adherence_chart(records, today)

    (line,) = chart.lines
    assert len(line.dots) == 1 and line.dots[0].text.endswith("57%")
    assert chart.table_rows == [[chart.table_rows[0][0], "4 / 7", "57%"]]
    assert chart.summary == "Last 7 days: 57%. 0 of 1 week reached 80%."


def test_twelve_weeks_with_a_gap_split_the_line(today):
    records = [(today - timedelta(days=n), 0 if 28 <= n < 35 else 2, 2) for n in range(WEEKS * 7)]

    chart = weekly_adherence_chart(records, today)

    (line,) = chart.lines
    assert len(line.dots) == WEEKS - 1
    assert len(line.segments) == 2
    assert chart.summary == "Last 7 days: 100%. 11 of 11 weeks reached 80%."
    assert len(chart.table_rows) == WEEKS - 1


def test_the_80_percent_line_and_text_alternative_are_drawn(today):
    records = [(today - timedelta(days=n), 1, n % 2) for n in range(WEEKS * 7)]

    html = _render(weekly_adherence_chart(records, today))

    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "80%: adherent" in html
    assert "<table>" in html and "Show the data as a table" in html
    assert "style=" not in html and "<script" not in html  # CSP without unsafe-inline


def test_program_day_records_count_what_was_scheduled_and_done(program, item, today):
    ExerciseLogFactory(program_item=item, performed_on=today)

    records = program_day_records(program, [item], today, days=3)

    assert records == [
        (today - timedelta(days=2), 1, 0),
        (today - timedelta(days=1), 1, 0),
        (today, 1, 1),
    ]


# --- Pain ------------------------------------------------------------------------------------


def test_pain_chart_draws_one_line_per_exercise_with_the_limit(program, item, today):
    other = ProgramItemFactory(
        program=program, position=2, exercise=LibraryExerciseFactory(name="Squat")
    )
    ExerciseLogFactory(program_item=item, performed_on=today, pain=7)
    ExerciseLogFactory(program_item=item, performed_on=today - timedelta(days=1), pain=3)
    ExerciseLogFactory(program_item=other, performed_on=today, pain=1)

    chart = exercise_pain_chart(
        ExerciseLog.objects.filter(program_item__program=program), today, limit=5
    )

    assert [line.name for line in chart.lines] == ["Bridge", "Squat"]
    assert chart.has_legend
    assert chart.summary.startswith("Highest pain: 7/10 on Bridge")
    assert "1 day above the limit of 5." in chart.summary
    assert "Limit 5" in _render(chart)


def test_pain_chart_without_logs(program, today):
    chart = exercise_pain_chart(ExerciseLog.objects.none(), today, limit=5)

    assert chart.is_empty and chart.summary == "No pain was logged in the last 12 weeks."


def test_morning_chart_marks_the_latest_answer(program, today):
    PainCheckFactory(program=program, checked_on=today - timedelta(days=2), pain_now=2)
    PainCheckFactory(program=program, checked_on=today, pain_now=4, compared_to_before="worse")

    chart = morning_pain_chart(PainCheck.objects.filter(program=program), today, limit=5)

    assert len(chart.lines[0].dots) == 2
    assert (
        "2 answers; the latest" in chart.summary and "pain 4/10, worse. 1 worse." in chart.summary
    )
    assert chart.table_rows[-1][1:] == ["4/10", "worse"]


# --- The pages -------------------------------------------------------------------------------


def test_the_program_page_shows_three_charts(client_for, therapist, program, item, today):
    ExerciseLogFactory(program_item=item, performed_on=today, pain=3)

    page = client_for(therapist).get(program.get_absolute_url()).content.decode()

    assert page.count('class="chart"') == 3
    assert "Weekly adherence, last 12 weeks" in page


def test_the_patient_page_shows_the_trends(client_for, therapist, patient, program, item, today):
    ExerciseLogFactory(program_item=item, performed_on=today, pain=3)

    page = client_for(therapist).get(patient.get_absolute_url()).content.decode()

    assert page.count('class="chart"') == 3
    assert "Next-morning pain, last 12 weeks" in page


def test_my_progress_shows_the_patient_their_own_trends_only(
    client_for, patient, program, item, today, clinic
):
    from tests.factories import DisclaimerAcceptanceFactory, DisclaimerFactory

    DisclaimerAcceptanceFactory(
        patient=patient, disclaimer=DisclaimerFactory(clinic=clinic, kind="medical")
    )
    ExerciseLogFactory(program_item=item, performed_on=today, pain=3)
    stranger = ProgramItemFactory(
        program=ProgramFactory(clinic=clinic), exercise=LibraryExerciseFactory(name="Secret")
    )
    ExerciseLogFactory(program_item=stranger, performed_on=today, pain=9)

    response = client_for(patient.user).get(reverse("portal_history"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "How often you did your exercises, week by week" in page
    assert "Your pain during the exercises" in page
    assert "Bridge" in page and "Secret" not in page


def test_names_in_the_dots_and_the_table_are_escaped(clinic, therapist, patient, today):
    exercise = LibraryExerciseFactory(name="<b>Bridge</b> & co")
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, exercise=exercise, position=1)
    ExerciseLogFactory(program_item=item, performed_on=today, pain=3)

    chart = exercise_pain_chart(ExerciseLog.objects.filter(patient=patient), today, limit=5)
    html = render_to_string("programs/includes/chart.html", {"chart": chart})

    assert "<b>Bridge" not in html
    assert "<title>&lt;b&gt;Bridge&lt;/b&gt; &amp; co" in html
    assert "<td>&lt;b&gt;Bridge&lt;/b&gt; &amp; co</td>" in html
    assert html.count("<circle ") == 1


def test_cached_charts_show_a_new_check_off_at_once(client_for, therapist, clinic, patient, today):
    """The program and patient pages reuse their charts while the stored status is unchanged
    (charts_once); a check-off through the service computes the status, so a new version."""
    program = ProgramFactory(clinic=clinic, patient=patient, therapist=therapist)
    item = ProgramItemFactory(program=program, exercise=LibraryExerciseFactory(name="Bridge"))
    ProgramItem.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=30))
    status.refresh([patient.pk], clinic=clinic)
    client = client_for(therapist)
    pages = [
        reverse("program_detail", args=[program.pk]),
        reverse("patient_detail", args=[patient.pk]),
    ]
    for page in pages:
        assert "Bridge, " not in client.get(page).content.decode()

    exercise_log_record(patient=patient, item=item, performed_on=today, pain=6)

    for page in pages:
        assert "pain 6/10" in client.get(page).content.decode()


def test_my_progress_shows_a_new_check_off_at_once(client_for, clinic, patient, accepted, item):
    status.refresh([patient.pk], clinic=clinic)
    client = client_for(patient.user)
    assert "pain 7/10" not in client.get(reverse("portal_history")).content.decode()

    exercise_log_record(patient=patient, item=item, performed_on=clinic.today(), pain=7)

    assert "pain 7/10" in client.get(reverse("portal_history")).content.decode()
