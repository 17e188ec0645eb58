"""The program page's log tables: up to 20 rows of 8 cells per exercise, written in one pass
(as nested template tags they were the page's biggest cost after the charts)."""

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


@register.simple_tag
def item_log_rows(logs, max_pain) -> SafeString:
    """The table rows of an item's logs; a pain above the program's limit flags the row."""
    yes, no = escape(_("yes")), escape(_("no"))
    above = f' <strong class="flag">{escape(_("above limit"))}</strong>'
    days = {}
    rows = []
    for log in logs:
        flagged = log.pain is not None and log.pain > max_pain
        if log.performed_on not in days:
            days[log.performed_on] = escape(date_format(log.performed_on, "D j M"))
        pain = DASH if log.pain is None else f"{log.pain}/10" + (above if flagged else "")
        cells = [
            days[log.performed_on],
            log.session,
            yes if log.completed else no,
            DASH if log.sets_done is None else log.sets_done,
            DASH if log.reps_done is None else log.reps_done,
            pain,
            escape(log.get_difficulty_display() or DASH),
            escape(log.note or DASH),
        ]
        rows.append(
            ('<tr class="row--flag">' if flagged else "<tr>")
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped
