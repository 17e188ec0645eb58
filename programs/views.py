"""The therapist's program builder: create, fill, schedule, progress and print programs.

Every view fetches through `get_for_user`, so another clinic's program or item is a 404, and
every write goes through programs/services.py, the same functions the API calls.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic import audit
from clinic.forms import add_service_errors
from clinic.models import Patient
from clinic.permissions import get_for_user, staff_required
from exercises.models import Exercise
from programs import selectors, services
from programs.charts import charts_once, program_charts
from programs.forms import (
    AddExerciseForm,
    ProgramCreateForm,
    ProgramForm,
    ProgramItemForm,
    TemplateFromProgramForm,
)
from programs.handout import handout_context
from programs.handout_pdf import handout_email_check, handout_filename, handout_pdf
from programs.models import (
    PROGRAM_ITEM_HINT_LIMIT,
    Program,
    ProgramItem,
    ProgramStatus,
    ProgramTemplate,
)
from programs.readiness import readiness_for_program
from programs.tasks import send_handout_email

SEARCH_RESULTS = 12


def _program(request, pk):
    return get_for_user(
        Program.objects.select_related("clinic", "patient__status", "therapist", "template"),
        request.user,
        pk=pk,
    )


def _charts_version(program, items):
    status = getattr(program.patient, "status", None)
    if status is None:
        return None
    shown = [(item.pk, item.retired_at) for item in items]
    day = program.clinic.today()
    return ("program", program.pk, program.updated_at, status.computed_at, day, shown)


def _item(request, pk):
    return get_for_user(
        ProgramItem.objects.select_related("program__clinic", "exercise"), request.user, pk=pk
    )


def _message_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
@require_http_methods(["GET", "POST"])
def program_create(request, patient_pk):
    patient = get_for_user(Patient, request.user, pk=patient_pk)
    clinic = request.user.clinic
    form = ProgramCreateForm(
        request.POST or None,
        clinic=clinic,
        initial={"start_date": clinic.today(), "title": _("Home exercise program")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                clinic=clinic, patient=patient, therapist=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Program created as a draft. Add or adjust exercises."))
            return redirect(program)
    return render(
        request,
        "programs/program_create.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
def program_detail(request, pk):
    program = _program(request, pk)
    items = selectors.program_items_for_page(program)
    current = [item for item in items if item.is_current]
    neighbours = selectors.progression_neighbours_for(
        [item.exercise_id for item in current], program.clinic
    )
    for item in current:
        item.neighbours = neighbours[item.exercise_id]
    readiness_for_program(program, current, program.clinic.today())
    query = request.GET.get("q", "").strip()[:100]
    results = []
    if query:
        results = list(
            Exercise.objects.visible_to_clinic(program.clinic)
            .active()
            .search(query)
            .order_by("name")[:SEARCH_RESULTS]
        )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "current_items": current,
            "retired_items": [item for item in items if not item.is_current],
            "adherence": selectors.program_adherence(program, items, program.clinic.today()),
            "charts": charts_once(
                _charts_version(program, items),
                lambda: program_charts(program, items, program.clinic.today()),
            ),
            "query": query,
            "results": results,
            "too_many": len(current) > PROGRAM_ITEM_HINT_LIMIT,
            "hint_limit": PROGRAM_ITEM_HINT_LIMIT,
            "next_statuses": [
                status
                for status in ProgramStatus
                if status in services.STATUS_TRANSITIONS[program.status]
            ],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    program = _program(request, pk)
    try:
        services.check_program_editable(program)
    except ValidationError as error:
        _message_from(request, error)
        return redirect(program)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=Program.objects.get(pk=program.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect(program)
    return render(
        request,
        "programs/program_edit.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def program_status(request, pk):
    program = _program(request, pk)
    try:
        services.program_status_change(program=program, status=request.POST.get("status", ""))
    except ValidationError as error:
        _message_from(request, error)
    else:
        program.refresh_from_db()
        messages.success(
            request, _("The program is now %(status)s.") % {"status": program.get_status_display()}
        )
    return redirect(program)


@staff_required
@require_POST
def program_item_add(request, pk):
    program = _program(request, pk)
    form = AddExerciseForm(request.POST, clinic=program.clinic)
    if form.is_valid():
        try:
            item = services.program_item_add(
                program=program, exercise=form.cleaned_data["exercise"]
            )
        except ValidationError as error:
            _message_from(request, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": item.exercise.name})
    else:
        messages.error(request, _("That exercise cannot be added. Choose one from the search."))
    return redirect(program)


@staff_required
@require_http_methods(["GET", "POST"])
def program_item_edit(request, pk):
    item = _item(request, pk)
    try:
        services.check_item_editable(item)
    except ValidationError as error:
        _message_from(request, error)
        return redirect(item.program)
    form = ProgramItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_item_update(item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Dosage saved."))
            return redirect(item.program)
    return render(
        request,
        "programs/item_edit.html",
        {"form": form, "item": item, "program": item.program},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def program_item_move(request, pk):
    item = _item(request, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        try:
            services.program_item_move(item=item, direction=direction)
        except ValidationError as error:
            _message_from(request, error)
    return redirect(item.program)


@staff_required
@require_POST
def program_item_remove(request, pk):
    item = _item(request, pk)
    try:
        services.program_item_remove(item=item)
    except ValidationError as error:
        _message_from(request, error)
    else:
        messages.success(request, _("%(name)s removed.") % {"name": item.exercise.name})
    return redirect(item.program)


@staff_required
@require_http_methods(["GET", "POST"])
def program_item_progress(request, pk, direction):
    """GET shows the step to move to and its mastery criterion; POST makes the change."""
    item = _item(request, pk)
    try:
        services.check_item_editable(item)
    except ValidationError as error:
        _message_from(request, error)
        return redirect(item.program)
    step = 1 if direction == "next" else -1
    neighbours = selectors.progression_neighbours(item.exercise, item.program.clinic)
    target = neighbours.next if step > 0 else neighbours.previous
    if request.method == "POST":
        try:
            new_item = services.program_item_progress(item=item, step=step)
        except ValidationError as error:
            _message_from(request, error)
        else:
            messages.success(
                request,
                _("%(old)s was replaced by %(new)s, with the same dosage.")
                % {"old": item.exercise.name, "new": new_item.exercise.name},
            )
        return redirect(item.program)
    return render(
        request,
        "programs/item_progress.html",
        {
            "item": item,
            "program": item.program,
            "neighbours": neighbours,
            "target": target,
            "forward": step > 0,
        },
    )


@staff_required
@require_POST
def program_copy(request, pk):
    """A new draft with this program's exercises: how a completed program carries on."""
    program = _program(request, pk)
    try:
        copy = services.program_copy(
            program=program, therapist=request.user, start_date=program.clinic.today()
        )
    except ValidationError as error:
        _message_from(request, error)
        return redirect(program)
    messages.success(
        request, _("A new draft was made from “%(title)s”.") % {"title": program.title}
    )
    return redirect(copy)


@staff_required
@require_http_methods(["GET", "POST"])
def program_save_as_template(request, pk):
    program = _program(request, pk)
    form = TemplateFromProgramForm(request.POST or None, initial={"name": program.title})
    if request.method == "POST" and form.is_valid():
        try:
            template = services.program_template_create_from_program(
                program=program, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Saved as the template “%(name)s”.") % {"name": template.name}
            )
            return redirect(program)
    return render(
        request,
        "programs/template_from_program.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


@staff_required
def template_list(request):
    templates = (
        ProgramTemplate.objects.for_user(request.user)
        .prefetch_related("items__exercise")
        .order_by("clinic", "name")
    )
    return render(request, "programs/template_list.html", {"templates": templates})


@staff_required
def program_handout(request, pk):
    program = _program(request, pk)
    return render(request, "programs/handout.html", handout_context(request, program))


@staff_required
def program_handout_pdf(request, pk):
    program = _program(request, pk)
    response = HttpResponse(handout_pdf(program, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{handout_filename(program)}"'
    return response


@staff_required
@require_POST
def program_handout_email(request, pk):
    program = _program(request, pk)
    try:
        handout_email_check(program)
    except ValidationError as error:
        _message_from(request, error)
        return redirect(program)
    audit.note_export(Program, detail=f"handout e-mailed: program {program.pk}")
    send_handout_email(program.pk)
    messages.success(
        request,
        _("The PDF handout is on its way to %(email)s.") % {"email": program.patient.email},
    )
    return redirect(program)
