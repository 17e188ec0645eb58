"""Background work of the therapists' side (huey): the daily digest, checked every 15
minutes so each clinic's 07:00 is met whatever its time zone; sent once per therapist and
day however many workers run it (programs/digest.py); the patients' stored statuses that
time made old, every 10 minutes (programs/status.py)."""

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from programs.deliveries import send_email_delivery
from programs.digest import digest_email, digests_claim_due
from programs.handout_pdf import handout_email_send
from programs.models import Delivery
from programs.status import refresh_due_statuses


@db_periodic_task(crontab(minute="*/15"))
def send_due_digests() -> int:
    claimed = digests_claim_due()
    for delivery, since in claimed:
        deliver_digest(delivery.pk, since.isoformat())
    return len(claimed)


@db_periodic_task(crontab(minute="*/10"))
def refresh_patient_statuses() -> int:
    """The stored statuses a new day or an invitation's age made old (programs/status.py)."""
    return refresh_due_statuses()


@db_task()
def deliver_digest(delivery_id: int, since: str) -> None:
    delivery = (
        Delivery.objects.select_related("recipient__clinic", "clinic")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return
    start = datetime.fromisoformat(since)
    wait = send_email_delivery(delivery, lambda d: digest_email(d, start))
    if wait:
        raise RetryTask(delay=wait)


@db_task(retries=3, retry_delay=300)
def send_handout_email(program_id: int) -> bool:
    """The PDF handout as an attachment to the patient (the "E-mail the handout" button)."""
    return handout_email_send(program_id)
