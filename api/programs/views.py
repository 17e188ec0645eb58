"""Programs for therapists and clinic admins: CRUD within the clinic, nested items, status
changes, progressing and regressing items, templates, and what the patient logged.

Every write goes through programs/services.py, the functions the program builder pages call.
"""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from api.audit import AuditedMixin
from api.etags import ETagMixin
from api.pagination import MAX_PAGE, MAX_PAGE_SIZE
from api.permissions import IsClinicStaff
from api.programs.filters import ItemFilter, LogFilter, ProgramFilter
from api.programs.serializers import (
    AdherenceSerializer,
    AttentionRowPageSerializer,
    AttentionRowSerializer,
    ExerciseLogSerializer,
    ItemMoveSerializer,
    ProgramCreateSerializer,
    ProgramDetailSerializer,
    ProgramItemCreateSerializer,
    ProgramItemSerializer,
    ProgramItemUpdateSerializer,
    ProgramSerializer,
    ProgramUpdateSerializer,
    TemplateFromProgramSerializer,
    TemplateSerializer,
)
from clinic.permissions import get_for_user
from programs import selectors, services
from programs.attention import dashboard_scope
from programs.models import (
    ExerciseLog,
    Program,
    ProgramItem,
    ProgramStatus,
    ProgramTemplate,
    ProgramTemplateItem,
)
from programs.readiness import readiness_by_item
from programs.status import needing_attention


def programs_with_people(user):
    return (
        Program.objects.for_user(user)
        .select_related("clinic", "patient", "therapist")
        .annotate(item_count=Count("items", filter=Q(items__retired_at__isnull=True)))
    )


@extend_schema_view(
    create=extend_schema(request=ProgramCreateSerializer, responses={201: ProgramDetailSerializer}),
    partial_update=extend_schema(
        request=ProgramUpdateSerializer, responses={200: ProgramDetailSerializer}
    ),
    retrieve=extend_schema(responses={200: ProgramDetailSerializer}),
)
class ProgramViewSet(
    AuditedMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The clinic's programs. A new program is a draft; activate it once it has exercises.
    Programs are completed, not deleted, so what the patient logged stays."""

    permission_classes = [IsClinicStaff]
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter
    ordering_fields = ["start_date", "updated_at", "title"]
    ordering = ["-start_date", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        programs = programs_with_people(self.request.user)
        if self.detail:
            current = ProgramItem.objects.current().select_related("exercise")
            programs = programs.prefetch_related(
                Prefetch("items", queryset=current.order_by("position"), to_attr="current_items")
            )
        return programs

    def get_serializer_class(self):
        return {
            "create": ProgramCreateSerializer,
            "partial_update": ProgramUpdateSerializer,
            "retrieve": ProgramDetailSerializer,
        }.get(self.action, ProgramSerializer)

    def _read(self, program, code=status.HTTP_200_OK):
        self.detail = True
        program = get_object_or_404(self.get_queryset(), pk=program.pk)
        return Response(
            ProgramDetailSerializer(program, context=self.get_serializer_context()).data,
            status=code,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        clinic = request.user.clinic
        data.setdefault("therapist", request.user)
        data.setdefault("start_date", clinic.today())
        program = services.program_create(clinic=clinic, **data)
        return self._read(program, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        program = self.get_object()
        serializer = self.get_serializer(program, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.program_update(program=program, **serializer.validated_data)
        return self._read(program)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.http_method_not_allowed(request, *args, **kwargs)

    def _change_status(self, new_status):
        program = self.get_object()
        services.program_status_change(program=program, status=new_status)
        return self._read(program)

    @extend_schema(request=None, responses={200: ProgramDetailSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Draft or paused -> active: the patient sees it from now on."""
        return self._change_status(ProgramStatus.ACTIVE)

    @extend_schema(request=None, responses={200: ProgramDetailSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Active -> paused."""
        return self._change_status(ProgramStatus.PAUSED)

    @extend_schema(request=None, responses={200: ProgramDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Active or paused -> completed (final)."""
        return self._change_status(ProgramStatus.COMPLETED)

    @extend_schema(request=None, responses={201: ProgramDetailSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A new draft for the same patient with this program's exercises and dosages, starting
        today: how a completed program (which no longer changes) carries on."""
        program = self.get_object()
        copy = services.program_copy(
            program=program, therapist=request.user, start_date=program.clinic.today()
        )
        return self._read(copy, status.HTTP_201_CREATED)

    @extend_schema(request=TemplateFromProgramSerializer, responses={201: TemplateSerializer})
    @action(detail=True, methods=["post"], url_path="save-as-template")
    def save_as_template(self, request, pk=None):
        """Save the program's current exercises and dosages as a template of the clinic."""
        program = self.get_object()
        serializer = TemplateFromProgramSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.program_template_create_from_program(
            program=program, created_by=request.user, **serializer.validated_data
        )
        template = ProgramTemplate.objects.prefetch_related("items__exercise").get(pk=template.pk)
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AdherenceSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def adherence(self, request, pk=None):
        """Logged / scheduled check-offs over the last 7 and 30 days (80% counts as adherent)."""
        program = self.get_object()
        items = list(program.items.all())
        results = selectors.program_adherence(program, items, program.clinic.today())
        return Response(
            [
                {
                    "days": result.days,
                    "completed": result.completed,
                    "scheduled": result.scheduled,
                    "percent": result.percent,
                    "is_adherent": result.is_adherent,
                }
                for result in results
            ]
        )


PROGRAM_PK = OpenApiParameter("program_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class ProgramChildMixin:
    """Views under /programs/{program_pk}/: the program comes through the tenant filter first,
    so another clinic's program id answers 404 whatever follows it."""

    permission_classes = [IsClinicStaff]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.get_program()  # 404 before anything else is looked at

    def get_program(self) -> Program:
        if not hasattr(self, "_program"):
            self._program = get_for_user(
                Program.objects.select_related("clinic"),
                self.request.user,
                pk=self.kwargs["program_pk"],
            )
        return self._program


@extend_schema_view(
    create=extend_schema(
        request=ProgramItemCreateSerializer, responses={201: ProgramItemSerializer}
    ),
    partial_update=extend_schema(
        request=ProgramItemUpdateSerializer,
        responses={200: ProgramItemSerializer},
        description=(
            "Change the dosage. An item the patient already logged is retired and a new item "
            "carries the new dosage: the response is the current item (its id may change)."
        ),
    ),
)
@extend_schema(parameters=[PROGRAM_PK])
class ProgramItemViewSet(
    AuditedMixin,
    ETagMixin,
    ProgramChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A program's exercises with their dosage, in order."""

    serializer_class = ProgramItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ["position", "created_at"]
    ordering = ["position", "created_at", "pk"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgramItem.objects.none()
        return (
            self.get_program()
            .items.select_related("exercise")
            .order_by("position", "created_at", "pk")
        )

    def filter_queryset(self, queryset):
        """The list leaves retired items out unless asked; one item is found by its id, so a
        retired one can be read, and a change to it is refused with the service's message."""
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return {
            "create": ProgramItemCreateSerializer,
            "partial_update": ProgramItemUpdateSerializer,
        }.get(self.action, ProgramItemSerializer)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action in ("list", "retrieve"):
            context["neighbours"] = selectors.progression_neighbours_for(
                list(self.get_program().items.current().values_list("exercise_id", flat=True)),
                self.get_program().clinic,
            )
            program = self.get_program()
            context["readiness"] = readiness_by_item(program, program.clinic.today())
        return context

    def _read(self, item, code=status.HTTP_200_OK):
        item = self.get_queryset().get(pk=item.pk)
        context = super().get_serializer_context()
        context["neighbours"] = selectors.progression_neighbours_for(
            [item.exercise_id], self.get_program().clinic
        )
        return Response(ProgramItemSerializer(item, context=context).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.program_item_add(program=self.get_program(), **serializer.validated_data)
        return self._read(item, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self._read(services.program_item_update(item=item, **serializer.validated_data))

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.http_method_not_allowed(request, *args, **kwargs)

    def perform_destroy(self, instance):
        """Take the exercise out; an item the patient logged is retired, never deleted."""
        services.program_item_remove(item=instance)

    @extend_schema(request=None, responses={200: ProgramItemSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, program_pk=None, pk=None):
        """Replace the item by the next, harder step of its series (same dosage)."""
        return self._read(services.program_item_progress(item=self.get_object(), step=+1))

    @extend_schema(request=None, responses={200: ProgramItemSerializer})
    @action(detail=True, methods=["post"])
    def regress(self, request, program_pk=None, pk=None):
        """Replace the item by the previous, easier step of its series (same dosage)."""
        return self._read(services.program_item_progress(item=self.get_object(), step=-1))

    @extend_schema(request=ItemMoveSerializer, responses={200: ProgramItemSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, program_pk=None, pk=None):
        """Swap the item with the one above ("up") or below ("down")."""
        item = self.get_object()
        serializer = ItemMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.program_item_move(item=item, direction=serializer.validated_data["direction"])
        return self._read(item)


@extend_schema(parameters=[PROGRAM_PK])
class ProgramLogViewSet(
    AuditedMixin, ProgramChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """What the patient logged for this program, newest first."""

    serializer_class = ExerciseLogSerializer
    filterset_class = LogFilter
    ordering_fields = ["performed_on", "updated_at"]
    ordering = ["-performed_on", "-session", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseLog.objects.none()
        return (
            ExerciseLog.objects.for_user(self.request.user)
            .filter(program_item__program=self.get_program())
            .select_related("program_item__exercise")
        )


class TemplateViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Reusable routines: the clinic's own and the shared ones."""

    permission_classes = [IsClinicStaff]
    serializer_class = TemplateSerializer
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        items = ProgramTemplateItem.objects.select_related("exercise").order_by("position")
        return ProgramTemplate.objects.for_user(self.request.user).prefetch_related(
            Prefetch("items", queryset=items)
        )


class DashboardView(GenericAPIView):
    """Who needs attention today: the dashboard's rows, most serious first, each reason with
    its evidence in one line. Your own patients (primary therapist) by default;
    `?scope=all` for the whole clinic. Reasons marked reviewed are left out until newer data
    raises them again (POST /api/v1/patients/{id}/review/)."""

    permission_classes = [IsClinicStaff]
    serializer_class = AttentionRowSerializer
    filter_backends = []

    @extend_schema(
        responses={200: AttentionRowPageSerializer},
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=["mine", "all"],
                description="mine (default): your patients; all: the whole clinic.",
            ),
            OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
            OpenApiParameter(
                "page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
            ),
        ],
    )
    def get(self, request):
        scope = request.query_params.get("scope", "mine")
        if scope not in ("mine", "all"):
            raise ValidationError({"scope": [_("Use “mine” or “all”.")]})
        rows = needing_attention(
            dashboard_scope(request.user, everyone=scope == "all"), clinic=request.user.clinic
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
