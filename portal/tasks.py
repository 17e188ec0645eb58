"""Background work of the portal (huey): each minute, claim the reminders that are due and
hand each delivery to its own task, which retries with growing waits when the mail server is
away. Several consumers may run these at once: the claim in portal/reminders.py makes each
reminder go at most once."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from portal.push import send_push_delivery
from portal.reminders import reminder_email, reminders_claim_due
from programs.deliveries import send_email_delivery
from programs.models import Channel, Delivery

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def send_due_reminders() -> int:
    deliveries = reminders_claim_due()
    for delivery in deliveries:
        deliver_reminder(delivery.pk)
    return len(deliveries)


@db_task()
def deliver_reminder(delivery_id: int) -> None:
    delivery = (
        Delivery.objects.select_related("patient__clinic", "patient__user", "reminder")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return
    wait = None
    if delivery.channel == Channel.EMAIL:
        wait = send_email_delivery(delivery, reminder_email)
    elif delivery.channel == Channel.PUSH:
        send_push_delivery(delivery)
    if wait:
        raise RetryTask(delay=wait)
