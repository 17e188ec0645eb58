"""Reminders: who is due now, the claim that makes each reminder go at most once, and the
e-mail itself.

A patient is due when, in their own time zone (the clinic's unless they chose one), their
reminder time (their own, else the earliest default of their active programs) fell within the
last CATCH_UP minutes, it is not quiet hours (21:00-07:00), an active program schedules that
day, reminders are on, and no reminder was claimed yet for that day and slot. That is one
query per time zone in use, filtered by the time window in SQL, so a run costs the same
whatever the number of patients who are not due. Only the few due patients then get their
day plan read (is the day already done?) and a claim.

The claim is a `SentReminder` row, unique per (patient, day, slot) in the database: several
workers, a retried task or a restarted consumer all try to insert it and exactly one wins.
"""

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    TimeField,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient
from clinic.services import reminder_sign_in_link_token
from clinic.site import site_url
from portal.selectors import day_plan_for_patient
from programs.choices import ProgramStatus
from programs.deliveries import from_address_for
from programs.models import (
    Channel,
    Delivery,
    MessageKind,
    Program,
    ReminderSettings,
    SentReminder,
)
from programs.reminder_rules import CATCH_UP, DAILY_SLOT, in_quiet_hours

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "portal.reminders.unsubscribe"


def zones_in_use() -> set[str]:
    """The time zones reminders can be due in: every clinic's and every patient's own choice."""
    zones = set(Clinic.objects.values_list("timezone", flat=True).distinct())
    zones |= set(
        ReminderSettings.objects.exclude(timezone="").values_list("timezone", flat=True).distinct()
    )
    return zones


def _scheduled_on(day: date):
    """Active programs of the outer patient that schedule exercise on `day`."""
    return (
        Program.objects.filter(
            patient=OuterRef("pk"),
            status=ProgramStatus.ACTIVE,
            start_date__lte=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .annotate(on_day=F("weekdays").bitand(1 << day.weekday()))
        .filter(on_day__gt=0)
    )


def patients_with_reminder_settings():
    """Patients annotated with their reminder zone, time and on/off, all defaults applied."""
    default_time = (
        Program.objects.filter(
            patient=OuterRef("pk"), status=ProgramStatus.ACTIVE, reminder_time__isnull=False
        )
        .order_by("reminder_time")
        .values("reminder_time")[:1]
    )
    return Patient.objects.filter(
        is_active=True, user__isnull=False, user__is_active=True
    ).annotate(
        reminder_zone=Coalesce(
            NullIf(F("reminder_settings__timezone"), Value("")),
            F("clinic__timezone"),
            output_field=CharField(),
        ),
        reminder_time=Coalesce(
            F("reminder_settings__time"), Subquery(default_time), output_field=TimeField()
        ),
        reminder_on=Coalesce(
            F("reminder_settings__enabled"), Value(True), output_field=BooleanField()
        ),
    )


@dataclass(frozen=True)
class Due:
    patient: Patient
    day: date
    due_at: datetime


def patients_due(now: datetime, zone_name: str) -> list[Due]:
    """Patients in `zone_name` whose reminder is due at `now` (see the module's rules)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local = now.astimezone(zone)
    if in_quiet_hours(local.time()):
        return []
    day = local.date()
    start = (local - CATCH_UP).time()
    if start > local.time():  # the window would cross midnight: quiet hours anyway
        return []
    already = SentReminder.objects.filter(patient=OuterRef("pk"), day=day, slot=DAILY_SLOT)
    patients = (
        patients_with_reminder_settings()
        .filter(
            reminder_zone=zone_name,
            reminder_on=True,
            reminder_time__gt=start,
            reminder_time__lte=local.time().replace(microsecond=0),
        )
        .filter(Exists(_scheduled_on(day)))
        .exclude(Exists(already))
        .select_related("clinic", "user", "reminder_settings")
        .order_by("pk")
    )
    return [
        Due(
            patient=patient,
            day=day,
            due_at=datetime.combine(day, patient.reminder_time, tzinfo=zone),
        )
        for patient in patients
    ]


def _settings_of(patient: Patient) -> ReminderSettings:
    try:
        return patient.reminder_settings
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(clinic_id=patient.clinic_id, patient=patient)


def reminder_claim(*, patient: Patient, day: date, due_at: datetime, slot: int = DAILY_SLOT):
    """Claim the (patient, day, slot) reminder and record one pending delivery per channel; None
    when another worker (or an earlier run) already claimed it. The insert is the lock: the
    database's unique constraint lets exactly one of any number of racing claims through."""
    choices = _settings_of(patient)
    channels = []
    if choices.by_email:
        channels.append(Channel.EMAIL)
    if choices.by_push:
        channels.append(Channel.PUSH)
    if not channels:
        return None  # every channel off: nothing to send, nothing to claim
    try:
        with transaction.atomic():
            claim = SentReminder.objects.create(
                clinic_id=patient.clinic_id, patient=patient, day=day, slot=slot, due_at=due_at
            )
            deliveries = [
                Delivery.objects.create(
                    clinic_id=patient.clinic_id,
                    patient=patient,
                    recipient=patient.user,
                    reminder=claim,
                    kind=MessageKind.REMINDER,
                    channel=channel,
                )
                for channel in channels
            ]
    except IntegrityError:
        return None
    claim.new_deliveries = deliveries
    return claim


def reminders_claim_due(now: datetime | None = None) -> list[Delivery]:
    """Claim every reminder due now; the caller sends the returned deliveries. A patient whose
    day is already done (or who has nothing due today after all) is skipped without a claim,
    and one patient's trouble never stops the others."""
    now = now or timezone.now()
    deliveries = []
    for zone_name in sorted(zones_in_use()):
        for due in patients_due(now, zone_name):
            try:
                plan = day_plan_for_patient(due.patient, due.day)
                if plan.total == 0 or plan.all_done:
                    continue
                claim = reminder_claim(patient=due.patient, day=due.day, due_at=due.due_at)
            except Exception:  # noqa: BLE001 - one patient's data must not stop everyone's reminders
                logger.exception("Reminder for patient %s could not be prepared", due.patient.pk)
                continue
            if claim is not None:
                deliveries.extend(claim.new_deliveries)
    return deliveries


# --- Unsubscribe -----------------------------------------------------------------------------


def unsubscribe_token(patient: Patient) -> str:
    return signing.dumps({"p": patient.pk}, salt=UNSUBSCRIBE_SALT)


def patient_from_unsubscribe_token(token: str) -> Patient | None:
    """The patient an unsubscribe link is for; None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Patient.objects.select_related("clinic").filter(pk=data.get("p")).first()


# --- The e-mail ------------------------------------------------------------------------------


def reminder_email(delivery: Delivery) -> EmailMultiAlternatives:
    """The reminder e-mail: today's exercises, a one-tap sign-in link (single use, 12 hours)
    and one-click unsubscribe (RFC 8058), in plain text and HTML."""
    patient = delivery.patient
    claim = delivery.reminder
    plan = day_plan_for_patient(patient, claim.day)
    seen = set()
    exercises = []
    for entry in plan.entries:
        if entry.item.pk not in seen:
            seen.add(entry.item.pk)
            exercises.append(entry.item)
    base = site_url()
    sign_in = base + reverse("sign_in_link", args=[reminder_sign_in_link_token(patient.user)])
    unsubscribe = base + reverse("portal_unsubscribe", args=[unsubscribe_token(patient)])
    hours = int(settings.REMINDER_SIGN_IN_LINK_MAX_AGE.total_seconds() // 3600)
    context = {
        "patient": patient,
        "clinic": patient.clinic,
        "exercises": exercises,
        "sign_in_link": sign_in,
        "unsubscribe_link": unsubscribe,
        "hours": hours,
        "settings_link": base + reverse("portal_reminders"),
    }
    message = EmailMultiAlternatives(
        subject=_("Time for your exercises"),
        body=render_to_string("emails/reminder.txt", context),
        from_email=from_address_for(patient.clinic),
        to=[patient.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("emails/reminder.html", context), "text/html")
    return message


def reminder_time_default(patient: Patient) -> time | None:
    """The therapist's default: the earliest reminder time of the patient's active programs."""
    return (
        Program.objects.active_of_patient(patient)
        .exclude(reminder_time__isnull=True)
        .order_by("reminder_time")
        .values_list("reminder_time", flat=True)
        .first()
    )
