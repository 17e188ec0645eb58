"""The guided session: today's exercises one at a time (picture, dosage, sets, hold and rest
timers with JavaScript), each ending with a quick log, then a summary.

Without JavaScript it is a sequence of plain pages: /portal/session/ (what is due),
/portal/session/<session>/<step>/ (one exercise and its quick log form) and
/portal/session/<session>/done/ (the summary). The steps are positions in today's list for
that session, so the URLs take no ids; the log form names its item, fetched through
`get_for_user` (another patient's item answers 404) and checked against the step. Logging
goes through `services.exercise_log_record`, which is idempotent: posting the form twice
updates the same log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clinic.forms import add_service_errors
from portal import selectors, services
from portal.forms import SessionLogForm
from portal.gate import disclaimer_required
from portal.views import _item

# A rest between sets when the therapist gives none (the prescription has no rest field).
REST_SECONDS = 30


def _session_entries(patient, today, session: int):
    plan = selectors.day_plan_for_patient(patient, today)
    return plan, [entry for entry in plan.entries if entry.session == session]


def _first_open_session(plan) -> int | None:
    open_sessions = sorted({entry.session for entry in plan.entries if not entry.is_done})
    return open_sessions[0] if open_sessions else None


@disclaimer_required
@never_cache
@require_GET
def portal_session(request):
    """What the session holds today, and where to begin (the first exercise not yet done)."""
    patient = request.patient
    today = patient.clinic.today()
    plan = selectors.day_plan_for_patient(patient, today)
    session = _first_open_session(plan)
    entries = [entry for entry in plan.entries if entry.session == session]
    first_step = next((n for n, entry in enumerate(entries, 1) if not entry.is_done), None)
    return render(
        request,
        "portal/session_start.html",
        {
            "plan": plan,
            "session": session,
            "sessions_per_day": max((e.session for e in plan.entries), default=1),
            "entries": entries,
            "first_step": first_step,
            "today": today,
            "portal_section": "today",
        },
    )


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_session_step(request, session: int, step: int):
    """One exercise of the session: how to do it, the timers, and the quick log."""
    patient = request.patient
    today = patient.clinic.today()
    _plan, entries = _session_entries(patient, today, session)
    if not 1 <= step <= len(entries):
        raise Http404
    entry = entries[step - 1]
    item = entry.item
    status = 200
    if request.method == "POST":
        form = SessionLogForm(request.POST)
        if form.is_valid():
            posted = _item(request, form.cleaned_data["item"])  # another patient's: 404
            if posted.pk != item.pk:
                form.add_error(
                    None,
                    _("Your list of exercises changed. Here is the exercise for this step now."),
                )
            else:
                try:
                    services.exercise_log_record(
                        patient=patient,
                        item=item,
                        performed_on=today,
                        session=session,
                        completed=True,
                        pain=form.cleaned_data["pain"],
                        difficulty=form.cleaned_data["difficulty"],
                        today=today,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Saved: %(name)s.") % {"name": item.exercise.name})
                    if step < len(entries):
                        return redirect("portal_session_step", session=session, step=step + 1)
                    return redirect("portal_session_done", session=session)
        status = 400
    else:
        initial = {"item": item.pk}
        if entry.log is not None:
            initial.update(pain=entry.log.pain, difficulty=entry.log.difficulty)
        form = SessionLogForm(initial=initial)
    next_url = (
        reverse("portal_session_step", args=[session, step + 1])
        if step < len(entries)
        else reverse("portal_session_done", args=[session])
    )
    return render(
        request,
        "portal/session_step.html",
        {
            "entry": entry,
            "item": item,
            "exercise": item.exercise,
            "program": item.program,
            "session": session,
            "step": step,
            "steps": len(entries),
            "rest_seconds": REST_SECONDS,
            "set_numbers": range(1, item.sets + 1),
            "form": form,
            "skip_url": next_url,
            "portal_section": "today",
        },
        status=status,
    )


@disclaimer_required
@never_cache
@require_GET
def portal_session_done(request, session: int):
    """The summary: what was logged in this session, and what is left."""
    patient = request.patient
    today = patient.clinic.today()
    plan, entries = _session_entries(patient, today, session)
    if not entries:
        raise Http404
    done = sum(1 for entry in entries if entry.is_done)
    return render(
        request,
        "portal/session_done.html",
        {
            "entries": entries,
            "session": session,
            "done": done,
            "total": len(entries),
            "next_session": _first_open_session(plan),
            "portal_section": "today",
        },
    )
