"""A prescription in plain words, the way a patient reads it."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.choices import BandColour, LoadUnit, Side

DEFAULT_SETS = 2
DEFAULT_REPS = 10
DOSAGE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "load_amount",
    "load_unit",
    "band_colour",
    "side",
    "notes",
)


def default_dosage(exercise) -> dict:
    """An exercise's catalog defaults as a starting prescription (2 sets of 10 when the
    catalog gives none; each side for one-sided exercises)."""
    return {
        "sets": exercise.default_sets or DEFAULT_SETS,
        "reps": exercise.default_reps or DEFAULT_REPS,
        "hold_seconds": exercise.default_hold_seconds,
        "side": Side.EACH if exercise.per_side else Side.BOTH,
    }


def dosage_of(source) -> dict:
    """The prescription fields of an item or template item, to copy onto another."""
    return {field: getattr(source, field) for field in DOSAGE_FIELDS}


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def dosage_text(dosage) -> str:
    """E.g. “3 sets of 10, hold 5 seconds, left side, 2 lb”.

    `dosage` is anything with sets, reps, hold_seconds, side, load_amount, load_unit and
    band_colour (a program item, a template item or a form's cleaned data wrapped in a namespace).
    """
    parts = [
        ngettext("%(sets)d set of %(reps)d", "%(sets)d sets of %(reps)d", dosage.sets)
        % {"sets": dosage.sets, "reps": dosage.reps}
    ]
    if dosage.hold_seconds:
        parts.append(
            ngettext("hold %(n)d second", "hold %(n)d seconds", dosage.hold_seconds)
            % {"n": dosage.hold_seconds}
        )
    side_words = {
        Side.LEFT: _("left side"),
        Side.RIGHT: _("right side"),
        Side.EACH: _("each side"),
    }
    if dosage.side in side_words:
        parts.append(side_words[dosage.side])
    if dosage.load_unit in (LoadUnit.KG, LoadUnit.LB) and dosage.load_amount:
        parts.append(f"{_amount(Decimal(dosage.load_amount))} {dosage.load_unit}")
    elif dosage.load_unit == LoadUnit.BAND and dosage.band_colour:
        parts.append(_("%(colour)s band") % {"colour": BandColour(dosage.band_colour).label})
    return ", ".join(parts)
