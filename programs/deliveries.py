"""Sending one recorded message (a `Delivery`) by e-mail: at most once, retried with growing
waits while the mail server is away, given up for good on a refused address. Used by the
patients' reminders (portal) and the therapists' digest (programs)."""

import smtplib
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils import translation

from programs.models import Delivery, DeliveryStatus

# A refused address is final; anything else (server down, timeout) is tried again later,
# each wait longer than the one before.
EMAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60]  # seconds before the 2nd, 3rd and 4th attempt


def from_address_for(clinic) -> str:
    """The clinic's name with the installation's sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((clinic.name, address or "noreply@localhost"))


def _record(delivery: Delivery, status: str, detail: str = "") -> None:
    delivery.status = status
    delivery.detail = detail[:300]
    delivery.save(update_fields=["status", "detail", "attempts", "updated_at"])


def send_email_delivery(delivery: Delivery, build) -> int | None:
    """Send one e-mail delivery once. Returns the seconds to wait before trying again, or None
    when done (delivered, or failed for good: a refused address is never retried). Nothing
    raises out of here: a bad address never stops the worker."""
    if delivery.status != DeliveryStatus.PENDING:
        return None  # already sent (a task run twice): never send again
    delivery.attempts += 1
    try:
        with translation.override(settings.LANGUAGE_CODE):
            build(delivery).send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        _record(delivery, DeliveryStatus.FAILED, f"address refused: {type(exc).__name__}")
        return None
    except ValueError as exc:  # a malformed address, caught by Django before sending
        _record(delivery, DeliveryStatus.FAILED, f"bad address: {exc}")
        return None
    except Exception as exc:  # noqa: BLE001 - server down, timeout: try again later
        if delivery.attempts > len(EMAIL_RETRY_DELAYS):
            _record(delivery, DeliveryStatus.FAILED, f"gave up: {type(exc).__name__}")
            return None
        _record(delivery, DeliveryStatus.PENDING, f"will retry: {type(exc).__name__}")
        return EMAIL_RETRY_DELAYS[delivery.attempts - 1]
    _record(delivery, DeliveryStatus.DELIVERED)
    return None
