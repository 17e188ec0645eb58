"""The therapist's daily digest: their patients whose pain went above the program's limit or
whose next-morning answer was "worse" since the last digest, and the dashboard's other
reasons (programs/attention.py) raised since then and not marked reviewed. On by default;
each therapist can turn it off. Sent once a day from DIGEST_TIME in the clinic's time zone:
the claim is a conditional update of `DigestPreference.last_sent_on`, so several workers send
it once.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Clinic, Patient, Role, User
from clinic.site import site_url
from programs.attention import attention_rows, dashboard_scope
from programs.choices import AttentionKind
from programs.deliveries import from_address_for
from programs.models import (
    Channel,
    ComparedToBefore,
    Delivery,
    DigestPreference,
    ExerciseLog,
    MessageKind,
    PainCheck,
)

DIGEST_TIME = time(7, 0)
FIRST_WINDOW = timedelta(days=1)


def digest_preference_of(therapist: User) -> DigestPreference:
    found = DigestPreference.objects.filter(therapist=therapist).first()
    return found or DigestPreference(clinic_id=therapist.clinic_id, therapist=therapist)


def digest_preference_update(*, therapist: User, enabled: bool) -> DigestPreference:
    """Turn a therapist's daily digest on or off."""
    preference = digest_preference_of(therapist)
    preference.enabled = enabled
    preference.save()
    return preference


@dataclass(frozen=True)
class DigestLine:
    patient: Patient
    reasons: list[str]


def digest_lines(therapist: User, since: datetime) -> list[DigestLine]:
    """The therapist's patients (primary, or the therapist of one of their programs) with pain
    above the limit during an exercise, or a morning check above the limit or "worse", written
    since `since`. Two queries plus one for the patients, whatever the number of logs."""
    mine = Q(patient__primary_therapist=therapist)
    logs = (
        ExerciseLog.objects.for_clinic(therapist.clinic_id)
        .filter(updated_at__gt=since, pain__gt=F("program_item__program__max_pain"))
        .filter(mine | Q(program_item__program__therapist=therapist))
        .values_list("patient_id", "pain", "program_item__program__max_pain")
    )
    checks = (
        PainCheck.objects.for_clinic(therapist.clinic_id)
        .filter(updated_at__gt=since)
        .filter(
            Q(compared_to_before=ComparedToBefore.WORSE) | Q(pain_now__gt=F("program__max_pain"))
        )
        .filter(mine | Q(program__therapist=therapist))
        .values_list("patient_id", "pain_now", "program__max_pain", "compared_to_before")
    )
    reasons: dict[int, list[str]] = {}
    for patient_id, pain, limit in logs:
        reasons.setdefault(patient_id, []).append(
            _("pain %(pain)d/10 during an exercise (limit %(limit)d)")
            % {"pain": pain, "limit": limit}
        )
    for patient_id, pain, limit, comparison in checks:
        if pain > limit:
            reasons.setdefault(patient_id, []).append(
                _("pain %(pain)d/10 the next morning (limit %(limit)d)")
                % {"pain": pain, "limit": limit}
            )
        if comparison == ComparedToBefore.WORSE:
            reasons.setdefault(patient_id, []).append(_("felt worse the next morning"))
    # The dashboard's other reasons (issue 13), when raised since the last digest and not
    # marked reviewed; pain and mornings are told above, one line per report.
    told_above = {AttentionKind.PAIN_DURING, AttentionKind.MORNING}
    for row in attention_rows(dashboard_scope(therapist, everyone=False), clinic=therapist.clinic):
        for reason in row.reasons:
            if reason.kind not in told_above and reason.raised_at > since:
                reasons.setdefault(row.patient.pk, []).append(f"{reason.label}: {reason.evidence}")
    patients = Patient.objects.for_clinic(therapist.clinic_id).filter(pk__in=reasons)
    return [
        DigestLine(patient=p, reasons=sorted(set(reasons[p.pk])))
        for p in patients.order_by("last_name", "first_name")
    ]


def _therapists_without_preference(clinic: Clinic):
    return User.objects.filter(
        clinic=clinic, role=Role.THERAPIST, is_active=True, digest_preference__isnull=True
    )


def digests_claim_due(now: datetime | None = None) -> list[tuple[Delivery, datetime]]:
    """Claim today's digest for every therapist whose clinic's day has reached DIGEST_TIME
    (and is not yet in the 21:00 quiet hours) and who has something to report. The claim is
    one conditional UPDATE per therapist: of racing workers exactly one changes the row.
    Returns each new delivery with the start of its window."""
    now = now or timezone.now()
    deliveries = []
    for clinic in Clinic.objects.order_by("pk"):
        local = now.astimezone(clinic.zone)
        if not (DIGEST_TIME <= local.time() < time(21, 0)):
            continue
        day = local.date()
        DigestPreference.objects.bulk_create(
            [
                DigestPreference(clinic=clinic, therapist=t)
                for t in _therapists_without_preference(clinic)
            ],
            ignore_conflicts=True,
        )
        waiting = (
            DigestPreference.objects.for_clinic(clinic)
            .filter(enabled=True, therapist__is_active=True)
            .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=day))
            .select_related("therapist")
        )
        for preference in waiting:
            since = preference.last_sent_at or (now - FIRST_WINDOW)
            won = (
                DigestPreference.objects.filter(pk=preference.pk)
                .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lt=day))
                .update(last_sent_on=day, last_sent_at=now)
            )
            if not won:
                continue
            lines = digest_lines(preference.therapist, since)
            if not lines:
                continue  # nothing to report: no e-mail
            delivery = Delivery.objects.create(
                clinic=clinic,
                recipient=preference.therapist,
                kind=MessageKind.DIGEST,
                channel=Channel.EMAIL,
            )
            deliveries.append((delivery, since))
    return deliveries


def digest_email(delivery: Delivery, since: datetime) -> EmailMultiAlternatives:
    """The digest e-mail: each flagged patient with why and a link to their page."""
    therapist = delivery.recipient
    base = site_url()
    context = {
        "therapist": therapist,
        "clinic": therapist.clinic,
        "lines": digest_lines(therapist, since),
        "base": base,
        "settings_link": base + reverse("digest_settings"),
    }
    message = EmailMultiAlternatives(
        subject=_("Patients to look at today"),
        body=render_to_string("emails/digest.txt", context),
        from_email=from_address_for(therapist.clinic),
        to=[therapist.email],
    )
    message.attach_alternative(render_to_string("emails/digest.html", context), "text/html")
    return message
