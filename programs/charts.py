"""Trends at a glance: small line charts drawn on the server as SVG.

No JavaScript and no inline styles (CSP): the template `includes/chart.html` draws what is
computed here with classes from app.css, and every chart carries a one-line text summary and
its data as a table, so it reads without seeing it and prints as it looks.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from programs.figures import ADHERENT_FROM
from programs.models import ExerciseLog, PainCheck, ProgramItem

WEEKS = 12
DAYS = WEEKS * 7
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_LINES = 6  # colours in app.css; more exercises share the last one


def _day(day: date) -> str:
    return _day_in(day, get_language())


@lru_cache(maxsize=2048)
def _day_in(day: date, language: str | None) -> str:
    # A chart labels hundreds of days: formatting each (a translated month name) was a tenth
    # of a program page. The label depends only on the day and the language.
    return date_format(day, "j M")


@dataclass
class Dot:
    x: float
    y: float
    text: str  # the point's own label, e.g. "3 Nov: 57%"


@dataclass
class Line:
    name: str
    colour: int
    dots: list[Dot] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # polyline points; gaps split them


@dataclass
class Chart:
    key: str  # unique on the page, for the ids
    title: str
    summary: str
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    lines: list[Line]
    reference: tuple[float, str] | None
    table_head: list[str]
    table_rows: list[list[str]]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not any(line.dots for line in self.lines)

    @property
    def has_legend(self) -> bool:
        return len(self.lines) > 1

    # The lines' points and the data table are hundreds of elements on a program with a few
    # exercises: drawn here in one pass instead of by nested template loops (the page's
    # biggest cost). Every text is escaped; numbers are written as Python writes them.

    @property
    def lines_svg(self) -> SafeString:
        parts = []
        for line in self.lines:
            parts.append(f'<g class="chart__line chart__line--{line.colour}">')
            parts.extend(
                f'<polyline points="{escape(points)}"></polyline>' for points in line.segments
            )
            parts.extend(
                f'<circle cx="{dot.x}" cy="{dot.y}" r="4">'
                f"<title>{escape(dot.text)}</title></circle>"
                for dot in line.dots
            )
            parts.append("</g>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    @property
    def table_body(self) -> SafeString:
        return mark_safe(  # noqa: S308 - every cell is escaped
            "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                for row in self.table_rows
            )
        )


def _x(slot: int, slots: int) -> float:
    if slots <= 1:
        return LEFT + PLOT_W / 2
    return round(LEFT + PLOT_W * slot / (slots - 1), 1)


def _y(value: float, top: float) -> float:
    return round(TOP + PLOT_H * (1 - value / top), 1)


def _line(name: str, colour: int, values: dict[int, float], slots: int, top: float, label) -> Line:
    """A line through the slots that have a value; a missing slot breaks the line."""
    line = Line(name=name, colour=min(colour, MAX_LINES - 1))
    run = []
    for slot in range(slots):
        if slot not in values:
            if run:
                line.segments.append(" ".join(run))
                run = []
            continue
        x, y = _x(slot, slots), _y(values[slot], top)
        run.append(f"{x},{y}")
        line.dots.append(Dot(x, y, label(slot, values[slot])))
    if run:
        line.segments.append(" ".join(run))
    return line


def _pain_ticks():
    return [(_y(value, 10), str(value)) for value in (0, 2, 4, 6, 8, 10)]


def _day_ticks(first_day: date, slots: int):
    return [
        (_x(slot, slots), _day(first_day + timedelta(days=slot))) for slot in range(0, slots, 14)
    ]


# --- Weekly adherence ----------------------------------------------------------------------


def weekly_adherence_chart(
    day_records, today: date, *, key: str = "adherence", title: str = ""
) -> Chart:
    """Adherence per 7-day block over the last 12 weeks (the newest block ends today), from
    per-day (day, scheduled, completed) records, with the 80% line. Weeks with nothing
    scheduled have no point."""
    by_day = {day: (scheduled, completed) for day, scheduled, completed in day_records}
    starts = [today - timedelta(days=7 * (WEEKS - 1 - week) + 6) for week in range(WEEKS)]
    values, rows = {}, []
    for slot, start in enumerate(starts):
        scheduled = completed = 0
        for offset in range(7):
            day_scheduled, day_completed = by_day.get(start + timedelta(days=offset), (0, 0))
            scheduled += day_scheduled
            completed += min(day_completed, day_scheduled) if day_scheduled else 0
        if scheduled:
            values[slot] = round(100 * completed / scheduled)
            rows.append(
                [
                    _("Week from %(day)s") % {"day": _day(start)},
                    f"{completed} / {scheduled}",
                    f"{values[slot]}%",
                ]
            )

    def label(slot, value):
        return _("Week from %(day)s: %(percent)d%%") % {"day": _day(starts[slot]), "percent": value}

    line = _line(_("Adherence"), 0, values, WEEKS, 100, label)
    if values:
        adherent = sum(1 for value in values.values() if value >= ADHERENT_FROM * 100)
        summary = ngettext(
            "%(adherent)d of %(weeks)d week reached 80%%.",
            "%(adherent)d of %(weeks)d weeks reached 80%%.",
            len(values),
        ) % {"adherent": adherent, "weeks": len(values)}
        if WEEKS - 1 in values:
            summary = (
                _("Last 7 days: %(percent)d%%.") % {"percent": values[WEEKS - 1]} + " " + summary
            )
    else:
        summary = _("Nothing was scheduled in the last 12 weeks.")
    return Chart(
        key=key,
        title=title or _("Weekly adherence, last 12 weeks"),
        summary=summary,
        y_ticks=[(_y(value, 100), f"{value}%") for value in (0, 20, 40, 60, 80, 100)],
        x_ticks=[(_x(slot, WEEKS), _day(starts[slot])) for slot in range(0, WEEKS, 3)],
        lines=[line],
        reference=(_y(ADHERENT_FROM * 100, 100), _("80%: adherent")),
        table_head=[_("Week"), _("Check-offs done / scheduled"), _("Adherence")],
        table_rows=rows,
    )


def program_day_records(program, items, today: date, days: int = DAYS):
    """(day, scheduled, completed) for each of the last `days` days of one program: one
    query. Needs `program.clinic` (the time zone)."""
    first_day = today - timedelta(days=days - 1)
    completed_by_day = dict(
        ExerciseLog.objects.completed()
        .filter(
            clinic_id=program.clinic_id,
            program_item__program=program,
            performed_on__range=(first_day, today),
        )
        .values_list("performed_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    zone = program.clinic.zone
    records = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        scheduled = 0
        if program.is_scheduled_on(day):
            in_force = sum(1 for item in items if item.in_force_on(day, zone))
            scheduled = in_force * program.sessions_per_day
        records.append((day, scheduled, completed_by_day.get(day, 0)))
    return records


# --- Pain ----------------------------------------------------------------------------------


def exercise_pain_chart(
    logs_queryset, today: date, *, limit: int | None, key="pain", title=""
) -> Chart:
    """The highest pain logged per exercise and day over the last 12 weeks, one line per
    exercise, with the program's limit. One query over `logs_queryset` (already limited to
    the program or the patient)."""
    first_day = today - timedelta(days=DAYS - 1)
    # Grouped by item on the logs alone (the (patient, day) index serves it), each item named
    # through its key: a join to the clinic's items would be planned as a scan of them all.
    name = ProgramItem.objects.filter(pk=OuterRef("program_item_id")).values("exercise__name")
    per_item = (
        logs_queryset.filter(performed_on__range=(first_day, today), pain__isnull=False)
        .values_list("program_item_id", "performed_on")
        .annotate(pain=Max("pain"), name=Subquery(name[:1]))
        .order_by()
    )
    highest = {}
    for _item, day, pain, item_name in per_item:
        key = (item_name, day)
        highest[key] = max(pain, highest.get(key, pain))
    rows = sorted((name, day, pain) for (name, day), pain in highest.items())
    by_exercise = defaultdict(dict)
    for name, day, pain in rows:
        by_exercise[name][(day - first_day).days] = pain
    lines = []
    for colour, (name, values) in enumerate(by_exercise.items()):

        def label(slot, value, name=name):
            return _("%(exercise)s, %(day)s: pain %(pain)d/10") % {
                "exercise": name,
                "day": _day(first_day + timedelta(days=slot)),
                "pain": value,
            }

        lines.append(_line(name, colour, values, DAYS, 10, label))
    if rows:
        name, day, pain = max(rows, key=lambda row: (row[2], row[1]))
        summary = _("Highest pain: %(pain)d/10 on %(exercise)s, %(day)s.") % {
            "pain": pain,
            "exercise": name,
            "day": _day(day),
        }
        if limit is not None:
            above = len({row[1] for row in rows if row[2] > limit})
            summary += " " + ngettext(
                "%(n)d day above the limit of %(limit)d.",
                "%(n)d days above the limit of %(limit)d.",
                above,
            ) % {"n": above, "limit": limit}
    else:
        summary = _("No pain was logged in the last 12 weeks.")
    return Chart(
        key=key,
        title=title or _("Pain during exercise, last 12 weeks"),
        summary=summary,
        y_ticks=_pain_ticks(),
        x_ticks=_day_ticks(first_day, DAYS),
        lines=lines,
        reference=(_y(limit, 10), _("Limit %(limit)d") % {"limit": limit})
        if limit is not None
        else None,
        table_head=[_("Day"), _("Exercise"), _("Highest pain")],
        table_rows=[
            [_day(day), name, f"{pain}/10"]
            for name, day, pain in sorted(rows, key=lambda r: (r[1], r[0]))
        ],
    )


def morning_pain_chart(
    checks_queryset, today: date, *, limit: int | None, key="morning", title=""
) -> Chart:
    """The morning-after answers over the last 12 weeks: pain now, and “worse” marked."""
    first_day = today - timedelta(days=DAYS - 1)
    checks = list(
        checks_queryset.filter(checked_on__range=(first_day, today))
        .order_by("checked_on")
        .values_list("checked_on", "pain_now", "compared_to_before")
    )
    labels = {"better": _("better"), "same": _("about the same"), "worse": _("worse")}
    values = {(day - first_day).days: pain for day, pain, _compared in checks}
    compared = {(day - first_day).days: how for day, _pain, how in checks}

    def label(slot, value):
        return _("%(day)s: pain %(pain)d/10, %(compared)s") % {
            "day": _day(first_day + timedelta(days=slot)),
            "pain": value,
            "compared": labels.get(compared[slot], ""),
        }

    line = _line(_("Next-morning pain"), 0, values, DAYS, 10, label)
    if checks:
        worse = sum(1 for _day_, _pain, how in checks if how == "worse")
        day, pain, how = checks[-1]
        summary = ngettext(
            "%(n)d answer; the latest, %(day)s: pain %(pain)d/10, %(compared)s. %(worse)d worse.",
            "%(n)d answers; the latest, %(day)s: pain %(pain)d/10, %(compared)s. %(worse)d worse.",
            len(checks),
        ) % {
            "n": len(checks),
            "day": _day(day),
            "pain": pain,
            "compared": labels.get(how, ""),
            "worse": worse,
        }
    else:
        summary = _("No next-morning answers in the last 12 weeks.")
    return Chart(
        key=key,
        title=title or _("Next-morning pain, last 12 weeks"),
        summary=summary,
        y_ticks=_pain_ticks(),
        x_ticks=_day_ticks(first_day, DAYS),
        lines=[line],
        reference=(_y(limit, 10), _("Limit %(limit)d") % {"limit": limit})
        if limit is not None
        else None,
        table_head=[_("Day"), _("Pain now"), _("Compared to before")],
        table_rows=[[_day(day), f"{pain}/10", labels.get(how, how)] for day, pain, how in checks],
    )


# How long a patient's computed charts may be reused at most; the version below changes as
# soon as their data does.
CHARTS_SECONDS = 600


def charts_once(version, build) -> list[Chart]:
    """The charts `build()` returns, computed once per `version` of their data and language.

    `version` must change whenever the data behind the charts does: callers give the patient's
    stored status time (programs/status.py: every service that writes a log, a pain check or
    a program computes it again), the day, and the programs and items they show. None: the
    data has no version (no stored status yet), so the charts are computed every time."""
    if version is None:
        return build()
    key = "charts:" + hashlib.sha256(repr((version, get_language())).encode()).hexdigest()
    charts = cache.get(key)
    if charts is None:
        charts = build()
        cache.set(key, charts, CHARTS_SECONDS)
    return charts


def program_charts(program, items, today: date) -> list[Chart]:
    """The three charts of one program: three queries."""
    return [
        weekly_adherence_chart(program_day_records(program, items, today), today),
        exercise_pain_chart(
            ExerciseLog.objects.filter(clinic_id=program.clinic_id, program_item__program=program),
            today,
            limit=program.max_pain,
        ),
        morning_pain_chart(
            PainCheck.objects.filter(clinic_id=program.clinic_id, program=program),
            today,
            limit=program.max_pain,
        ),
    ]


def patient_charts(patient, programs, today: date, clinic) -> list[Chart]:
    """The patient page's trends: weekly adherence of the newest active program (if any),
    pain during exercise and next-morning pain across the patient's programs. Four queries
    at most. `programs` are the patient's programs, newest first, already loaded."""
    active = next((program for program in programs if program.status == "active"), None)
    limit = active.max_pain if active is not None else None
    charts = []
    if active is not None:
        active.clinic = clinic  # the patient's clinic, already loaded by the page
        items = list(active.items.all())
        charts.append(weekly_adherence_chart(program_day_records(active, items, today), today))
    charts.append(
        exercise_pain_chart(
            ExerciseLog.objects.filter(clinic_id=patient.clinic_id, patient=patient),
            today,
            limit=limit,
        )
    )
    charts.append(
        morning_pain_chart(
            PainCheck.objects.filter(clinic_id=patient.clinic_id, patient=patient),
            today,
            limit=limit,
        )
    )
    return charts
