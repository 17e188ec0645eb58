"""Idempotency keys for check-offs sent again (issue 12 item 6).

A check-off made offline is queued on the phone with a key and sent when the connection
returns; a flaky connection may send it twice, or after the patient has meanwhile undone it
online. The log itself is never doubled (one row per item, day and session: see
`portal.services.exercise_log_record`); the key also makes a replay change nothing at all, so
an old queued check-off cannot bring back one the patient undid. Keys are remembered in the
patient's session (the queue belongs to one signed-in device), the most recent ones only.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SESSION_KEY = "portal_check_off_keys"
KEPT = 200
KEY_FORMAT = re.compile(r"[A-Za-z0-9-]{8,64}")


def check_off_key_from(request) -> str:
    """The key sent with a check-off (`Idempotency-Key` header or `idempotency_key` field),
    "" when none; a malformed key is refused with a message."""
    key = request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or ""
    key = key.strip()
    if key and not KEY_FORMAT.fullmatch(key):
        raise ValidationError(_("This check-off could not be read. Please check it off again."))
    return key


def check_off_key_seen(session, key: str) -> bool:
    return bool(key) and key in session.get(SESSION_KEY, [])


def check_off_key_remember(session, key: str) -> None:
    if not key:
        return
    keys = [k for k in session.get(SESSION_KEY, []) if k != key]
    session[SESSION_KEY] = [*keys, key][-KEPT:]
