"""The patient portal: the disclaimer, today's exercises, logging, history and the morning
pain check.

Every page but the disclaimer itself is behind `disclaimer_required` (which includes
`patient_gate`). Items are fetched through `ProgramItem.objects.for_user`, so another
patient's item answers 404. Every write goes through portal/services.py, the same
functions the API calls. Every page works as plain HTML forms; with htmx (HX-Request) the
check-off and undo buttons answer with the changed part of the page instead of a redirect.
"""

import hashlib
import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.forms import add_service_errors
from clinic.htmx import is_htmx
from clinic.permissions import get_for_user
from exercises.media import (
    exercise_illustration_response,
    exercise_image_response,
    exercise_video_response,
)
from exercises.models import DisclaimerKind
from exercises.selectors import disclaimers_current
from portal import selectors, services
from portal.days import loggable_days
from portal.forms import (
    DisclaimerAcceptForm,
    ExerciseLogForm,
    PainCheckForm,
    ReminderSettingsForm,
)
from portal.gate import current_medical_disclaimer, disclaimer_required, patient_gate
from portal.push import push_configured, push_subscription_save
from portal.reminders import patient_from_unsubscribe_token, reminder_time_default
from portal.replay import check_off_key_from, check_off_key_remember, check_off_key_seen
from programs import charts
from programs.measures import selectors as measure_selectors
from programs.models import (
    DisclaimerAcceptance,
    ExerciseLog,
    PainCheck,
    PatientStatus,
    ProgramItem,
)

PAIN_CHECK_SKIPPED = "portal_pain_check_skipped_on"


def _item(request, pk):
    return get_for_user(
        ProgramItem.objects.select_related("program__clinic", "program__therapist", "exercise"),
        request.user,
        pk=pk,
    )


def _parse_day(value, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default


def _parse_session(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _day_url(day: date, today: date) -> str:
    if day == today:
        return reverse("portal_home")
    return reverse("portal_day", args=[day.isoformat()])


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/portal/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind a proxy it is the proxy's address, which is honest evidence;
    # a client-sent X-Forwarded-For would not be.
    return request.META.get("REMOTE_ADDR") or None


# --- Disclaimer ------------------------------------------------------------------------------


@patient_gate
@never_cache
@require_http_methods(["GET", "POST"])
def portal_disclaimer(request):
    patient = request.patient
    disclaimer = current_medical_disclaimer(patient.clinic_id)
    next_url = _safe_next(request, reverse("portal_home"))
    if disclaimer is None:
        return redirect(next_url)
    acceptances = DisclaimerAcceptance.objects.for_user(request.user)
    accepted = acceptances.filter(disclaimer=disclaimer).first()
    form = DisclaimerAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The page names the version it showed; the service refuses one that is no longer
        # current, so a version published meanwhile is shown anew.
        try:
            services.disclaimer_accept(
                patient=patient,
                disclaimer_id=request.POST.get("disclaimer", ""),
                ip=_client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(next_url)
    return render(
        request,
        "portal/disclaimer.html",
        {
            "disclaimer": disclaimer,
            "form": form,
            "accepted": accepted,
            "next": next_url,
            "is_new_version": accepted is None and acceptances.exists(),
        },
        status=400 if form.errors else 200,
    )


# --- Today and past days ---------------------------------------------------------------------


def _day_page(request, day: date, *, today: date, template: str, extra=None):
    patient = request.patient
    plan = selectors.day_plan_for_patient(patient, day)
    context = {
        "plan": plan,
        "day": day,
        "today": today,
        "is_today": day == today,
        "page_url": _day_url(day, today),
        "portal_section": "today" if day == today else "missed",
        **(extra or {}),
    }
    return render(request, template, context)


@disclaimer_required
@never_cache
@require_GET
def portal_home(request):
    """Today's exercises. The first visit of a day after a day with exercise asks the morning
    pain check first (once; “not now” skips it for the day)."""
    patient = request.patient
    today = patient.clinic.today()
    pain_check = selectors.pain_check_state(patient, today)
    if pain_check.due and request.session.get(PAIN_CHECK_SKIPPED) != today.isoformat():
        return redirect("portal_pain_check")
    return _day_page(
        request,
        today,
        today=today,
        template="portal/today.html",
        extra={
            "pain_check": pain_check.today_check,
            "questionnaires_due": measure_selectors.due_for_patient(patient, today),
        },
    )


@disclaimer_required
@never_cache
@require_GET
def portal_day(request, day: str):
    """A past day of the last week, to log what was missed."""
    patient = request.patient
    today = patient.clinic.today()
    chosen = _parse_day(day, default=None)
    if chosen is None:
        raise Http404
    if chosen == today:
        return redirect("portal_home")
    if chosen not in loggable_days(today):
        messages.info(request, _("You can log days up to a week back."))
        return redirect("portal_missed_days")
    return _day_page(request, chosen, today=today, template="portal/day.html")


@disclaimer_required
@require_GET
def portal_missed_days(request):
    today = request.patient.clinic.today()
    history = selectors.history_for_patient(request.patient, today)
    loggable = set(loggable_days(today))
    days = [
        record
        for record in reversed(history.days)
        if record.day in loggable and record.day >= (history.started_on or today)
    ]
    return render(
        request,
        "portal/missed_days.html",
        {
            "days": days,
            "today": today,
            "has_active_program": history.has_active_program,
            "portal_section": "missed",
        },
    )


# --- One exercise ----------------------------------------------------------------------------


def _log_initial(item: ProgramItem, log: ExerciseLog | None, day: date, session: int) -> dict:
    if log is not None:
        return {
            "day": day,
            "session": session,
            "completed": log.completed,
            "sets_done": log.sets_done,
            "reps_done": log.reps_done,
            "pain": log.pain,
            "difficulty": log.difficulty,
            "note": log.note,
        }
    return {
        "day": day,
        "session": session,
        "completed": True,
        "sets_done": item.sets,
        "reps_done": item.reps,
    }


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_exercise(request, pk):
    """An exercise's instructions and the full log form (prefilled from the prescription, or
    from what was already logged for that day and session)."""
    item = _item(request, pk)
    patient = request.patient
    today = item.program.clinic.today()
    source = request.POST if request.method == "POST" else request.GET
    day = _parse_day(source.get("day"), default=today)
    session = _parse_session(source.get("session"))
    log = ExerciseLog.objects.filter(program_item=item, performed_on=day, session=session).first()
    if request.method == "POST":
        form = ExerciseLogForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.exercise_log_record(
                    patient=patient,
                    item=item,
                    performed_on=data["day"],
                    session=data["session"],
                    completed=data["completed"],
                    sets_done=data["sets_done"],
                    reps_done=data["reps_done"],
                    pain=data["pain"],
                    difficulty=data["difficulty"],
                    note=data["note"],
                    today=today,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: %(name)s.") % {"name": item.exercise.name}
                    if data["completed"]
                    else _("Saved: %(name)s, not done.") % {"name": item.exercise.name},
                )
                return redirect(_safe_next(request, _day_url(data["day"], today)))
    else:
        form = ExerciseLogForm(initial=_log_initial(item, log, day, session))
    exercise = item.exercise
    equipment = list(exercise.equipment.all())
    has_purchase_links = any(thing.purchase_url for thing in equipment)
    return render(
        request,
        "portal/exercise.html",
        {
            "item": item,
            "program": item.program,
            "exercise": exercise,
            "equipment": equipment,
            "has_purchase_links": has_purchase_links,
            # Shown only next to purchase links: no query for the others.
            "affiliate_disclaimer": disclaimers_current(clinic=patient.clinic_id).get(
                DisclaimerKind.AFFILIATE
            )
            if has_purchase_links
            else None,
            "form": form,
            "log": log,
            "day": day,
            "session": session,
            "today": today,
            "is_today": day == today,
            "back_url": _day_url(day, today),
            "next": _safe_next(request, ""),
            "portal_section": "today" if day == today else "missed",
        },
        status=400 if form.errors else 200,
    )


def _entry_response(request, item, *, day: date, session: int, today: date, error=None):
    """htmx: the changed entry, the day's progress and a status message (out of band)."""
    plan = selectors.day_plan_for_patient(request.patient, day)
    entry = plan.entry_for(item.pk, session)
    if entry is None:
        raise Http404
    if error is not None:
        status_text = " ".join(error.messages)
    elif entry.is_done:
        status_text = _("%(name)s: done. Well done!") % {"name": item.exercise.name}
    else:
        status_text = _("%(name)s: check-off undone.") % {"name": item.exercise.name}
    return render(
        request,
        "portal/includes/entry_swap.html",
        {
            "entry": entry,
            "entry_heading_level": 4 if item.program.sessions_per_day > 1 else 3,
            "plan": plan,
            "is_today": day == today,
            "page_url": _day_url(day, today),
            "error": " ".join(error.messages) if error is not None else "",
            "status_text": status_text,
        },
        status=400 if error is not None else 200,
    )


def _check_or_undo(request, pk, *, undo: bool):
    item = _item(request, pk)
    today = item.program.clinic.today()
    day = _parse_day(request.POST.get("day"), default=today)
    session = _parse_session(request.POST.get("session"))
    error = None
    try:
        key = "" if undo else check_off_key_from(request)
        if check_off_key_seen(request.session, key):
            pass  # sent again (a queued offline check-off): it was applied the first time
        elif undo:
            services.exercise_log_undo(
                patient=request.patient, item=item, performed_on=day, session=session, today=today
            )
        else:
            services.exercise_log_record(
                patient=request.patient,
                item=item,
                performed_on=day,
                session=session,
                completed=True,
                today=today,
            )
            check_off_key_remember(request.session, key)
    except ValidationError as caught:
        error = caught
    if is_htmx(request):
        return _entry_response(request, item, day=day, session=session, today=today, error=error)
    if error is not None:
        for message in error.messages:
            messages.error(request, message)
    elif undo:
        messages.info(request, _("%(name)s: check-off undone.") % {"name": item.exercise.name})
    else:
        messages.success(request, _("%(name)s: done. Well done!") % {"name": item.exercise.name})
    fallback = _day_url(day, today) if day <= today else reverse("portal_home")
    return redirect(f"{_safe_next(request, fallback)}#entry-{item.pk}-{session}")


@disclaimer_required
@require_POST
def portal_check(request, pk):
    """The one-tap check-off: done, with the prescribed sets and repetitions (an existing log
    keeps the pain and difficulty already given)."""
    return _check_or_undo(request, pk, undo=False)


@disclaimer_required
@require_POST
def portal_undo(request, pk):
    """Take back today's check-off."""
    return _check_or_undo(request, pk, undo=True)


@disclaimer_required
@require_GET
def portal_item_image(request, pk):
    """The picture of one of the patient's own exercises."""
    return exercise_image_response(_item(request, pk).exercise)


@disclaimer_required
@require_GET
def portal_item_video(request, pk):
    """The video of one of the patient's own exercises, with range requests for scrubbing."""
    return exercise_video_response(request, _item(request, pk).exercise)


@disclaimer_required
@require_GET
def portal_item_video_poster(request, pk):
    """The still picture shown before the video of one of the patient's own exercises."""
    return exercise_image_response(_item(request, pk).exercise, field="video_poster")


@disclaimer_required
@require_GET
def portal_item_illustration(request, pk, frame):
    """The drawn pictures of one of the patient's own exercises."""
    return exercise_illustration_response(_item(request, pk).exercise, frame)


# --- History ---------------------------------------------------------------------------------


def _progress_version(patient, today):
    """The charts' data version: the stored status time (programs/status.py), which every
    check-off, answer and program change computes again, and the day."""
    computed = PatientStatus.objects.filter(patient=patient).values_list("computed_at", flat=True)
    computed_at = computed.first()
    return None if computed_at is None else ("history", patient.pk, computed_at, today)


def _progress_charts(request, history, today):
    """The patient's trends in plain words: no new query for the weekly figures (the
    history has them), one each for pain during exercise and next-morning pain."""
    return [
        charts.weekly_adherence_chart(
            [(record.day, record.scheduled, record.completed) for record in history.days],
            today,
            title=_("How often you did your exercises, week by week"),
        ),
        charts.exercise_pain_chart(
            ExerciseLog.objects.for_user(request.user),
            today,
            limit=None,
            title=_("Your pain during the exercises"),
        ),
        charts.morning_pain_chart(
            PainCheck.objects.for_user(request.user),
            today,
            limit=None,
            title=_("Your pain the next morning"),
        ),
    ]


@disclaimer_required
@require_GET
def portal_history(request):
    today = request.patient.clinic.today()
    history = selectors.history_for_patient(request.patient, today)
    loggable = set(loggable_days(today))
    return render(
        request,
        "portal/history.html",
        {
            "history": history,
            "charts": charts.charts_once(
                _progress_version(request.patient, today),
                lambda: _progress_charts(request, history, today),
            )
            if history.has_active_program
            else [],
            "weeks": history.weeks(),
            "today": today,
            "loggable": loggable,
            "portal_section": "history",
        },
    )


# --- Morning pain check ----------------------------------------------------------------------


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_pain_check(request):
    patient = request.patient
    today = patient.clinic.today()
    state = selectors.pain_check_state(patient, today)
    initial = {}
    if state.today_check is not None:
        initial = {
            "pain_now": state.today_check.pain_now,
            "compared_to_before": state.today_check.compared_to_before,
        }
    form = PainCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.pain_check_record(patient=patient, today=today, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not check.needs_attention:
                messages.success(request, _("Thank you. Enjoy your exercises today."))
            return redirect("portal_home")
    return render(
        request,
        "portal/pain_check.html",
        {"form": form, "state": state, "portal_section": "today"},
        status=400 if form.errors else 200,
    )


@disclaimer_required
@require_POST
def portal_pain_check_later(request):
    """“Not now”: today's page stops asking until tomorrow."""
    request.session[PAIN_CHECK_SKIPPED] = request.patient.clinic.today().isoformat()
    return redirect("portal_home")


# --- Reminders -------------------------------------------------------------------------------


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_reminders(request):
    """The patient's reminders: on or off, the time, e-mail, the time zone."""
    patient = request.patient
    current = services.reminder_settings_of(patient)
    initial = {
        "enabled": current.enabled,
        "time": current.time,
        "by_email": current.by_email,
        "by_push": current.by_push,
        "timezone": current.timezone,
    }
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_update(patient=patient, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("portal_reminders")
    return render(
        request,
        "portal/reminders.html",
        {
            "form": form,
            "default_time": reminder_time_default(patient),
            "clinic_zone": patient.clinic.timezone,
            "portal_section": "reminders",
            "push_key": settings.VAPID_PUBLIC_KEY if push_configured() else "",
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no session
@never_cache
@require_http_methods(["GET", "POST"])
def portal_unsubscribe(request, token: str):
    """One-click unsubscribe from reminder e-mails, without signing in. GET asks to confirm
    (mail scanners open links); POST, from the page or from the mail client, unsubscribes."""
    patient = patient_from_unsubscribe_token(token)
    if patient is None:
        return render(request, "portal/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        changed = services.reminders_unsubscribe_email(patient=patient)
        return render(request, "portal/unsubscribe.html", {"done": True, "already": not changed})
    return render(request, "portal/unsubscribe.html", {"clinic": patient.clinic})


# What the service worker keeps on install, so the first page works offline on its next visit.
SERVICE_WORKER_PRECACHE = (
    "css/app.css",
    "js/app.js",
    "vendor/htmx.min.js",
    "js/portal-offline.js",
    "img/portal/icon-192.png",
)


@require_GET
def portal_service_worker(request):
    """The service worker, served from /portal/ so that its scope is the portal. The static
    URLs it keeps (hashed names in production) are written into it, with a version that
    changes whenever they or the file change, so a deploy installs a fresh worker."""
    path = finders.find("js/portal-sw.js")
    source = Path(path).read_text(encoding="utf-8")
    urls = [static(name) for name in SERVICE_WORKER_PRECACHE]
    version = hashlib.sha256((source + "\n".join(urls)).encode()).hexdigest()[:12]
    source = source.replace(
        "const PRECACHE_URLS = [];", f"const PRECACHE_URLS = {json.dumps(urls)};", 1
    ).replace('const VERSION = "dev";', f'const VERSION = "{version}";', 1)
    response = HttpResponse(source, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("portal_home")
    response["Cache-Control"] = "no-cache"
    return response


THEME_COLOUR = "#0b5fa5"  # --brand in static/css/app.css
BACKGROUND_COLOUR = "#ffffff"


@require_GET
def portal_manifest(request):
    """The web app manifest that makes the portal installable: named after the signed-in
    patient's clinic (a generic name for anyone else), opening on Today, scoped to the portal,
    with plain and maskable icons (drawn by `manage.py portal_icons`)."""
    user = request.user
    clinic = user.clinic if user.is_authenticated and user.is_patient else None
    name = clinic.name if clinic is not None else _("Home exercise programs")
    icons = [
        {
            "src": static(f"img/portal/icon-{kind}{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if kind else "any",
        }
        for kind in ("", "maskable-")
        for size in (192, 512)
    ]
    manifest = {
        "id": reverse("portal_home"),
        "name": name,
        # Under the icon on a home screen: a long clinic name would be cut mid-word.
        "short_name": name if len(name) <= 15 else _("Exercises"),
        "description": _("Your home exercises, also without a connection."),
        "lang": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "en",
        "start_url": reverse("portal_home"),
        "scope": reverse("portal_home"),
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


@disclaimer_required
@require_POST
def portal_push_subscribe(request):
    """Keep this device's push subscription (JSON from the Reminders page's script)."""
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        push_subscription_save(
            patient=request.patient,
            endpoint=str(data.get("endpoint") or ""),
            p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValueError, AttributeError):
        return JsonResponse(
            {"detail": _("This browser sent an incomplete subscription.")}, status=400
        )
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    return JsonResponse({"detail": _("Reminders will come to this device.")}, status=201)
