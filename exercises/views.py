"""Catalog pages. Clinic staff read the library and their clinic's catalog; clinic admins change
their own clinic's rows. Rows come only from `for_user` (read) or `editable_by` (write), so
another clinic's ids and library rows an admin may not change answer 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.forms import add_service_errors
from clinic.permissions import admin_required, get_for_user, staff_required
from exercises import services
from exercises.forms import (
    DisclaimerPublishForm,
    EquipmentForm,
    ExerciseFilterForm,
    ExerciseForm,
    PoseEditorForm,
    SeriesForm,
    StepAddForm,
    StepEditForm,
)
from exercises.illustrations.renderer import illustration_svg
from exercises.illustrations.scene import illustration_errors
from exercises.media import (
    exercise_illustration_response,
    exercise_image_response,
    exercise_video_response,
)
from exercises.models import (
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    ProgressionSeries,
)
from exercises.selectors import (
    CATALOG_FRAGMENT_SECONDS,
    catalog_stamp,
    disclaimer_current,
    disclaimer_versions,
    disclaimers_current,
    exercise_catalog,
    exercise_series_places,
    steps_with_exercises,
)

EXERCISES_PER_PAGE = 25


def _form_status(form) -> int:
    return 400 if form.errors else 200


# --- Exercises: reading ----------------------------------------------------------------------


@staff_required
@require_GET
def exercise_list(request):
    filter_form = ExerciseFilterForm(request.GET or None, user=request.user)
    filters = filter_form.filters() if request.GET else {}
    exercises = exercise_catalog(user=request.user, **filters)
    page = Paginator(exercises, EXERCISES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exercises/exercise_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filtered": any(filters.values()),
            "catalog_stamp": catalog_stamp(request.user.clinic_id),
            "fragment_seconds": CATALOG_FRAGMENT_SECONDS,
        },
    )


@staff_required
@require_GET
def exercise_detail(request, pk):
    exercise = get_for_user(Exercise.objects.with_catalog_relations(), request.user, pk=pk)
    purchase_links = [item for item in exercise.equipment.all() if item.purchase_url]
    clinic_copy = None
    if exercise.is_library and request.user.is_clinic_admin:
        clinic_copy = (
            Exercise.objects.for_clinic(request.user.clinic_id).filter(slug=exercise.slug).first()
        )
    return render(
        request,
        "exercises/exercise_detail.html",
        {
            "exercise": exercise,
            "places": exercise_series_places(exercise=exercise, user=request.user),
            "purchase_links": purchase_links,
            "affiliate_disclaimer": (
                disclaimer_current(clinic=request.user.clinic_id, kind=DisclaimerKind.AFFILIATE)
                if purchase_links
                else None
            ),
            "can_edit": request.user.is_clinic_admin
            and exercise.clinic_id == request.user.clinic_id,
            "clinic_copy": clinic_copy,
        },
    )


@staff_required
@require_GET
def exercise_image(request, pk):
    """The exercise's picture, served only to those who may see the exercise."""
    return exercise_image_response(get_for_user(Exercise, request.user, pk=pk))


@staff_required
@require_GET
def exercise_video(request, pk):
    """The exercise's video, with range requests, only to those who may see the exercise."""
    return exercise_video_response(request, get_for_user(Exercise, request.user, pk=pk))


@staff_required
@require_GET
def exercise_video_poster(request, pk):
    """The still picture shown before the exercise's video plays."""
    return exercise_image_response(
        get_for_user(Exercise, request.user, pk=pk), field="video_poster"
    )


@staff_required
@require_GET
def exercise_illustration(request, pk, frame):
    """The drawn start or end picture (or the animation) of an exercise the user may see."""
    return exercise_illustration_response(get_for_user(Exercise, request.user, pk=pk), frame)


# --- Exercises: clinic admins ----------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def exercise_create(request):
    clinic = request.user.clinic
    form = ExerciseForm(request.POST or None, request.FILES or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_create(clinic=clinic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": exercise.name})
            return redirect(exercise)
    return render(
        request, "exercises/exercise_form.html", {"form": form}, status=_form_status(form)
    )


@admin_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request, pk):
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    form = ExerciseForm(
        request.POST or None, request.FILES or None, instance=exercise, clinic=request.user.clinic
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.exercise_update(exercise=exercise, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(exercise)
    return render(
        request,
        "exercises/exercise_form.html",
        {"form": form, "exercise": exercise},
        status=_form_status(form),
    )


@admin_required
@require_POST
def exercise_archive(request, pk):
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    services.exercise_archive(exercise=exercise)
    messages.success(
        request,
        _("“%(name)s” is archived: programs that use it keep it, new programs cannot add it.")
        % {"name": exercise.name},
    )
    return redirect(exercise)


@admin_required
@require_POST
def exercise_restore(request, pk):
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    services.exercise_restore(exercise=exercise)
    messages.success(request, _("“%(name)s” is back in the catalog.") % {"name": exercise.name})
    return redirect(exercise)


@admin_required
@require_POST
def exercise_copy(request, pk):
    exercise = get_for_user(Exercise.objects.library(), request.user, pk=pk)
    try:
        copy = services.exercise_copy_to_clinic(exercise=exercise, clinic=request.user.clinic)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(exercise)
    messages.success(
        request,
        _("“%(name)s” was copied to your clinic. Adapt it here.") % {"name": copy.name},
    )
    return redirect("catalog:exercise_edit", pk=copy.pk)


@admin_required
@require_http_methods(["GET", "POST"])
def exercise_poses(request, pk):
    """The pose editor: a range input per joint for the start and end pose. "Preview" shows
    the posted values drawn without saving; "Save" draws the exercise from them."""
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    form = PoseEditorForm(request.POST or None, exercise=exercise)
    preview_query = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview_query = _preview_query(form)
        else:
            try:
                services.exercise_set_poses(exercise=exercise, poses=form.poses())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The drawing is saved."))
                return redirect(exercise)
    if preview_query is None and not form.is_bound:
        preview_query = _preview_query(form)
    return render(
        request,
        "exercises/exercise_poses.html",
        {
            "form": form,
            "exercise": exercise,
            "preview_query": preview_query,
            "frames": [("start", _("Start position")), ("end", _("End position"))],
        },
        status=_form_status(form),
    )


def _preview_query(form) -> str:
    """The values as a query string for the preview picture's URL."""
    values = form.cleaned_data if form.is_bound else form.initial
    params = QueryDict(mutable=True)
    for name in form.fields:
        value = values.get(name, "")
        params[name] = (
            "" if value is None else (f"{value:g}" if isinstance(value, float | int) else value)
        )
    return params.urlencode()


@admin_required
@require_GET
def exercise_poses_preview(request, pk, frame):
    """The start or end picture drawn from the editor's values (query parameters), unsaved;
    400 with the problems in words when a value is not a possible pose; without values, the
    saved drawing."""
    exercise = get_object_or_404(Exercise.objects.editable_by(request.user), pk=pk)
    if frame not in ("start", "end"):
        raise Http404
    # No values: the exercise's drawing as it is (or a standing person).
    data = request.GET or PoseEditorForm.initial_from(exercise.poses)
    form = PoseEditorForm(data, exercise=exercise)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain; charset=utf-8")
    poses = form.poses()
    errors = illustration_errors(poses)
    if errors:
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    title = (
        _("Preview of the start position") if frame == "start" else _("Preview of the end position")
    )
    svg = illustration_svg(poses, frame, title)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Progression series ----------------------------------------------------------------------


@staff_required
@require_GET
def series_list(request):
    series_list = (
        ProgressionSeries.objects.for_user(request.user)
        .select_related("clinic")
        .prefetch_related(Prefetch("steps", queryset=steps_with_exercises()))
        .order_by("clinic_id", "name", "pk")
    )
    return render(request, "exercises/series_list.html", {"series_list": series_list})


def _series_for_reading(request, pk):
    return get_for_user(
        ProgressionSeries.objects.select_related("clinic").prefetch_related(
            Prefetch("steps", queryset=steps_with_exercises())
        ),
        request.user,
        pk=pk,
    )


@staff_required
@require_GET
def series_detail(request, pk):
    series = _series_for_reading(request, pk)
    return render(
        request,
        "exercises/series_detail.html",
        {
            "series": series,
            "steps": list(series.steps.all()),
            "can_edit": request.user.is_clinic_admin and series.clinic_id == request.user.clinic_id,
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def series_create(request):
    clinic = request.user.clinic
    form = SeriesForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(clinic=clinic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Series created. Now add its steps, easiest first."))
            return redirect("catalog:series_edit", pk=series.pk)
    return render(request, "exercises/series_form.html", {"form": form}, status=_form_status(form))


def _editable_series(request, pk):
    return get_object_or_404(
        ProgressionSeries.objects.editable_by(request.user).prefetch_related(
            Prefetch("steps", queryset=steps_with_exercises())
        ),
        pk=pk,
    )


def _series_manage(request, series, *, form=None, add_form=None, step_form=None, step_pk=None):
    """The admin's page for one series: its details, its steps in order and a form to add one.
    A bound form passed in (with errors) replaces the blank one it stands for."""
    steps = list(series.steps.all())
    step_forms = [
        (
            step,
            step_form
            if step.pk == step_pk
            else StepEditForm(instance=step, prefix=f"step-{step.pk}"),
        )
        for step in steps
    ]
    bound = [f for f in (form, add_form, step_form) if f is not None]
    return render(
        request,
        "exercises/series_manage.html",
        {
            "series": series,
            "form": form or SeriesForm(instance=series, clinic=request.user.clinic),
            "add_form": add_form or StepAddForm(user=request.user),
            "step_forms": step_forms,
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    series = _editable_series(request, pk)
    if request.method == "GET":
        return _series_manage(request, series)
    form = SeriesForm(request.POST, instance=series, clinic=request.user.clinic)
    if form.is_valid():
        try:
            services.series_update(series=series, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Series saved."))
            return redirect("catalog:series_edit", pk=series.pk)
    return _series_manage(request, series, form=form)


@admin_required
@require_POST
def series_step_add(request, pk):
    series = _editable_series(request, pk)
    add_form = StepAddForm(request.POST, user=request.user)
    if add_form.is_valid():
        try:
            services.series_step_add(series=series, **add_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(add_form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect("catalog:series_edit", pk=series.pk)
    return _series_manage(request, series, add_form=add_form)


def _editable_step(request, pk, step_pk):
    series = _editable_series(request, pk)
    step = get_object_or_404(series.steps.select_related("exercise", "series"), pk=step_pk)
    return series, step


@admin_required
@require_POST
def series_step_edit(request, pk, step_pk):
    series, step = _editable_step(request, pk, step_pk)
    step_form = StepEditForm(request.POST, instance=step, prefix=f"step-{step.pk}")
    if step_form.is_valid():
        try:
            services.series_step_update(step=step, **step_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(step_form, error)
        else:
            messages.success(request, _("Step saved."))
            return redirect("catalog:series_edit", pk=series.pk)
    return _series_manage(request, series, step_form=step_form, step_pk=step.pk)


@admin_required
@require_POST
def series_step_move(request, pk, step_pk):
    series, step = _editable_step(request, pk, step_pk)
    try:
        services.series_step_move(step=step, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("catalog:series_edit", pk=series.pk)


@admin_required
@require_POST
def series_step_remove(request, pk, step_pk):
    series, step = _editable_step(request, pk, step_pk)
    services.series_step_remove(step=step)
    messages.success(
        request,
        _("“%(name)s” is no longer a step of this series.") % {"name": step.exercise.name},
    )
    return redirect("catalog:series_edit", pk=series.pk)


# --- Equipment -------------------------------------------------------------------------------


@staff_required
@require_GET
def equipment_list(request):
    equipment = list(Equipment.objects.for_user(request.user).order_by("clinic_id", "name"))
    shows_purchase_links = any(item.purchase_url for item in equipment)
    return render(
        request,
        "exercises/equipment_list.html",
        {
            "equipment_list": equipment,
            "affiliate_disclaimer": (
                disclaimer_current(clinic=request.user.clinic_id, kind=DisclaimerKind.AFFILIATE)
                if shows_purchase_links
                else None
            ),
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def equipment_create(request):
    clinic = request.user.clinic
    form = EquipmentForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_create(clinic=clinic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Equipment added."))
            return redirect("catalog:equipment_list")
    return render(
        request, "exercises/equipment_form.html", {"form": form}, status=_form_status(form)
    )


@admin_required
@require_http_methods(["GET", "POST"])
def equipment_edit(request, pk):
    equipment = get_object_or_404(Equipment.objects.editable_by(request.user), pk=pk)
    form = EquipmentForm(request.POST or None, instance=equipment, clinic=request.user.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.equipment_update(equipment=equipment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Equipment saved."))
            return redirect("catalog:equipment_list")
    return render(
        request,
        "exercises/equipment_form.html",
        {"form": form, "equipment": equipment},
        status=_form_status(form),
    )


# --- Disclaimers -----------------------------------------------------------------------------


@staff_required
@require_GET
def disclaimer_list(request):
    clinic = request.user.clinic_id
    current = disclaimers_current(clinic=clinic)
    versions = disclaimer_versions(clinic=clinic)
    kinds = [
        {
            "value": kind.value,
            "label": kind.label,
            "current": current.get(kind.value),
            "versions": versions[kind.value],
        }
        for kind in DisclaimerKind
    ]
    return render(request, "exercises/disclaimer_list.html", {"kinds": kinds})


@staff_required
@require_GET
def disclaimer_detail(request, pk):
    disclaimer = get_for_user(
        Disclaimer.objects.select_related("published_by"), request.user, pk=pk
    )
    current = disclaimer_current(clinic=request.user.clinic_id, kind=disclaimer.kind)
    return render(
        request,
        "exercises/disclaimer_detail.html",
        {
            "disclaimer": disclaimer,
            "is_current": current is not None and current.pk == disclaimer.pk,
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def disclaimer_publish(request, kind):
    if kind not in DisclaimerKind.values:
        raise Http404
    clinic = request.user.clinic
    current = disclaimer_current(clinic=clinic.pk, kind=kind)
    initial = {"title": current.title, "body": current.body} if current else {}
    form = DisclaimerPublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            disclaimer = services.disclaimer_publish(
                clinic=clinic, kind=kind, published_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d is published and is now the current one.")
                % {"version": disclaimer.version},
            )
            return redirect("catalog:disclaimer_list")
    return render(
        request,
        "exercises/disclaimer_form.html",
        {"form": form, "kind_label": DisclaimerKind(kind).label, "current": current},
        status=_form_status(form),
    )
