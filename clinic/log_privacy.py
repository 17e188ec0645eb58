"""Finding 8: no e-mail address or IP address in a log line.

Log lines name people and clients by a short keyed hash (HMAC with SECRET_KEY): the same
address always gives the same tag, so lines can be correlated, but the tag cannot be turned
back into the address without the key. A filter on the console handler replaces whatever
e-mail or IP address a library still writes into a message.
"""

import hashlib
import hmac
import ipaddress
import logging
import re

from django.conf import settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates only; each is checked with the ipaddress module before it is replaced.
IP_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)(?![\w:.])"
)


def pseudonym(value: str | None, *, kind: str = "id") -> str:
    """A short keyed hash of an e-mail or IP address for log lines, e.g. `email:3f9a1c2b7d`."""
    if not value:
        return f"{kind}:-"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value.strip().lower()}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}:{digest[:10]}"


def _ip_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def redact(message: str) -> str:
    message = EMAIL.sub(lambda m: pseudonym(m.group(0), kind="email"), message)

    def replace_ip(match):
        ip = _ip_or_none(match.group(0))
        return pseudonym(ip, kind="ip") if ip else match.group(0)

    return IP_CANDIDATE.sub(replace_ip, message)


class RedactPersonalData(logging.Filter):
    """Rewrite each record's message with e-mail and IP addresses replaced by their tags."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: leave it to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a client in its log lines (AXES_CLIENT_STR_CALLABLE)."""
    return f"{pseudonym(username, kind='email')} from {pseudonym(ip_address, kind='ip')}"
