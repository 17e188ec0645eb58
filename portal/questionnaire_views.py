"""The patient's questionnaires (outcome measures): one question per page, as plain forms.

Every answer is kept as soon as it is given (a started questionnaire is a response that is
not sent), so stopping halfway and coming back later resumes where the patient left off.
The review page shows every answer with a link to change it; sending scores it. Assignments
are fetched through `MeasureAssignment.objects.for_user`, so another patient's answers 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.forms import add_service_errors
from clinic.permissions import get_for_user
from portal.gate import disclaimer_required
from portal.questionnaire_forms import ActivitiesForm, QuestionForm
from programs.measures import engine, services
from programs.measures.models import MeasureAssignment


def _started(request, pk):
    """The patient's assignment and its started answers, or a redirect home when it is not
    due (with the reason as a message)."""
    assignment = get_for_user(
        MeasureAssignment.objects.select_related("instrument"), request.user, pk=pk
    )
    try:
        response = services.response_start(
            assignment=assignment, today=request.patient.clinic.today()
        )
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
        return assignment, None
    return assignment, response


def _step_url(assignment, step: int | str) -> str:
    return f"{reverse('portal_questionnaire', args=[assignment.pk])}?step={step}"


def _parse_step(value, count: int) -> int | None:
    try:
        step = int(value)
    except (TypeError, ValueError):
        return None
    return step if 0 <= step <= count else None


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_questionnaire(request, pk):
    """Step 0 names the activities (PSFS-style instruments, first round only); steps 1..n are
    the questions. Without a step, resume at the first unanswered question."""
    assignment, response = _started(request, pk)
    if response is None:
        return redirect("portal_home")
    definition = response.instrument.definition
    names_needed = "activities" in definition and not response.activities
    items = engine.items_of(definition, response.activities)
    step = _parse_step(request.GET.get("step"), len(items))
    if step is None or (step == 0 and "activities" not in definition):
        unanswered = [n for n, item in enumerate(items, 1) if item.id not in response.answers]
        step = 0 if names_needed else (unanswered[0] if unanswered else None)
        if step is None:
            return redirect("portal_questionnaire_review", pk=assignment.pk)
        return redirect(_step_url(assignment, step))
    if names_needed and step != 0:
        return redirect(_step_url(assignment, 0))
    if step == 0 and services.activities_are_carried(assignment):
        return redirect(_step_url(assignment, 1))  # the same activities as last time

    context = {
        "assignment": assignment,
        "instrument": response.instrument,
        "response": response,
        "step": step,
        "total": len(items),
        "portal_section": "today",
        "intro": definition.get("intro", ""),
    }
    if step == 0:
        block = definition["activities"]
        initial = {f"activity_{n}": name for n, name in enumerate(response.activities, 1)}
        form = ActivitiesForm(
            request.POST or None,
            initial=initial,
            count=block["max_count"],
            required=block["min_count"],
            prompt=block["name_prompt"],
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.response_activities_set(response=response, names=form.names())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_step_url(assignment, 1))
        context.update(form=form, carried=False)
        return render(
            request,
            "portal/questionnaire.html",
            context,
            status=400 if form.errors else 200,
        )

    item = items[step - 1]
    form = QuestionForm(
        request.POST or None, item=item, initial={"answer": response.answers.get(item.id)}
    )
    if request.method == "POST" and form.is_valid():
        skip = request.POST.get("action") == "skip"
        value = None if skip else form.cleaned_data["answer"]
        if value is None and not skip:
            form.add_error("answer", _("Choose an answer, or skip this question."))
        else:
            try:
                services.response_answer(response=response, item_id=item.id, value=value)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if step < len(items):
                    return redirect(_step_url(assignment, step + 1))
                return redirect("portal_questionnaire_review", pk=assignment.pk)
    context.update(
        form=form,
        item=item,
        previous_url=_step_url(assignment, step - 1)
        if step > 1 or "activities" in definition
        else None,
        carried=bool(response.activities) and step == 1,
    )
    return render(request, "portal/questionnaire.html", context, status=400 if form.errors else 200)


@disclaimer_required
@never_cache
@require_http_methods(["GET", "POST"])
def portal_questionnaire_review(request, pk):
    """Every answer with a link to change it, and the button that sends them."""
    assignment, response = _started(request, pk)
    if response is None:
        return redirect("portal_home")
    definition = response.instrument.definition
    if "activities" in definition and not response.activities:
        return redirect(_step_url(assignment, 0))
    items = engine.items_of(definition, response.activities)
    errors = []
    if request.method == "POST":
        try:
            services.response_submit(response=response, today=request.patient.clinic.today())
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Thank you. Your answers were sent to your therapist."))
            return redirect("portal_home")
    rows = [
        {
            "step": n,
            "item": item,
            "answer": item.label_of(response.answers.get(item.id))
            if item.id in response.answers
            else None,
            "change_url": _step_url(assignment, n),
        }
        for n, item in enumerate(items, 1)
    ]
    return render(
        request,
        "portal/questionnaire_review.html",
        {
            "assignment": assignment,
            "instrument": response.instrument,
            "rows": rows,
            "errors": errors,
            "activities_url": _step_url(assignment, 0)
            if "activities" in definition
            and len(response.activities)
            and not services.activities_are_carried(assignment)
            else None,
            "portal_section": "today",
        },
        status=400 if errors else 200,
    )
