"""Web push reminders: a subscription per patient device (saved from the Reminders page) and
sending with pywebpush (VAPID-signed, payload encrypted with the device's keys). A
subscription the push service reports gone (404 or 410) is deleted."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from clinic.models import Patient
from programs.models import Delivery, DeliveryStatus, PushSubscription, ReminderSettings

PUSH_TTL_SECONDS = 4 * 3600  # a reminder older than this is no use


def push_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


@transaction.atomic
def push_subscription_save(
    *, patient: Patient, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Keep (or refresh) a device's subscription and turn push reminders on for the patient."""
    if not (endpoint and p256dh and auth):
        raise ValidationError(_("This browser sent an incomplete subscription."))
    if not (endpoint.startswith("https://") or settings.DEBUG):
        raise ValidationError(_("Push services are reached over https only."))
    subscription = PushSubscription.objects.filter(endpoint=endpoint).first() or (
        PushSubscription(endpoint=endpoint)
    )
    subscription.clinic_id = patient.clinic_id
    subscription.patient = patient
    subscription.p256dh = p256dh
    subscription.auth = auth
    subscription.user_agent = user_agent[:300]
    subscription.full_clean(validate_unique=False)
    subscription.save()
    choices = ReminderSettings.objects.filter(patient=patient).first() or ReminderSettings(
        clinic_id=patient.clinic_id, patient=patient
    )
    choices.by_push = True
    choices.save()
    return subscription


def push_payload(delivery: Delivery) -> dict:
    return {
        "title": _("Time for your exercises"),
        "body": _("%(clinic)s: today's exercises are waiting.")
        % {"clinic": delivery.patient.clinic.name},
        "url": reverse("portal_home"),
    }


def send_push_delivery(delivery: Delivery) -> None:
    """Send a push reminder to every device of the patient; record the result. Gone devices
    (404/410) are deleted; other failures are recorded, never raised."""
    if delivery.status != DeliveryStatus.PENDING:
        return
    delivery.attempts += 1
    subscriptions = list(PushSubscription.objects.filter(patient=delivery.patient_id))
    if not push_configured() or not subscriptions:
        delivery.status = DeliveryStatus.SKIPPED
        delivery.detail = "no device" if push_configured() else "push not configured"
        delivery.save(update_fields=["status", "detail", "attempts", "updated_at"])
        return
    data = json.dumps(push_payload(delivery))
    sent, gone, failed = 0, 0, 0
    for subscription in subscriptions:
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=PUSH_TTL_SECONDS,
                timeout=10,
            )
            sent += 1
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                subscription.delete()
                gone += 1
            else:
                failed += 1
        except Exception:  # noqa: BLE001 - a network error on one device never stops the worker
            failed += 1
    delivery.status = DeliveryStatus.DELIVERED if sent else DeliveryStatus.FAILED
    delivery.detail = f"{sent} device(s) reached, {gone} gone, {failed} failed"
    delivery.save(update_fields=["status", "detail", "attempts", "updated_at"])
