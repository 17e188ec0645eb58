"""Moving a row up or down a list ordered by a unique `position` (series steps, program
items): one rule and one message for every list."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DIRECTIONS = {"up": -1, "down": 1}


def move_in_list(rows: list, row, direction: str) -> bool:
    """Swap `row` with its neighbour above ("up") or below ("down") in `rows`, which the caller
    has read in order and locked. Moving the first row up or the last one down changes nothing
    (returns False).

    Positions are unique and not every database can defer that check, so the neighbour is
    parked above every position in the list while the two swap.
    """
    offset = DIRECTIONS.get(direction)
    if offset is None:
        raise ValidationError({"direction": _("Move up or down.")})
    index = next(i for i, candidate in enumerate(rows) if candidate.pk == row.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        return False
    other = rows[target]
    manager = type(row)._default_manager
    mine, theirs = rows[index].position, other.position
    manager.filter(pk=other.pk).update(position=max(r.position for r in rows) + 1)
    manager.filter(pk=row.pk).update(position=theirs)
    manager.filter(pk=other.pk).update(position=mine)
    row.position, other.position = theirs, mine
    return True
