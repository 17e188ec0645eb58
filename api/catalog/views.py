"""The catalog: exercises, progression series, equipment and disclaimers.

Staff read the shared library and their clinic's rows (`for_user`); clinic admins create and
change their clinic's exercises (`editable_by`) through exercises/services.py, the functions
the catalog pages call.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api.catalog.filters import DisclaimerFilter, EquipmentFilter, ExerciseFilter, SeriesFilter
from api.catalog.serializers import (
    DisclaimerPublishSerializer,
    DisclaimerSerializer,
    EquipmentSerializer,
    ExerciseSerializer,
    ExerciseWriteSerializer,
    ProgressionSeriesSerializer,
)
from api.etags import ETagMixin
from api.permissions import IsClinicStaff, StaffReadsAdminWrites
from exercises import selectors, services
from exercises.models import (
    Disclaimer,
    Equipment,
    Exercise,
    ProgressionSeries,
)


@extend_schema_view(
    create=extend_schema(request=ExerciseWriteSerializer, responses={201: ExerciseSerializer}),
    partial_update=extend_schema(
        request=ExerciseWriteSerializer, responses={200: ExerciseSerializer}
    ),
)
class ExerciseViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Exercises of the shared library and the caller's clinic. Clinic admins add and change
    their clinic's own; exercises are archived, never deleted."""

    permission_classes = [StaffReadsAdminWrites]
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter
    ordering_fields = ["name", "difficulty", "updated_at"]
    ordering = ["name", "pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        exercises = Exercise.objects.with_catalog_relations()
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return exercises.for_user(self.request.user)
        return exercises.editable_by(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ExerciseWriteSerializer
        return ExerciseSerializer

    def filter_queryset(self, queryset):
        """The catalog's filters narrow the list; one exercise is found by its id alone, in
        `get_queryset`'s scope (`editable_by` for every write)."""
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def _read(self, exercise, code=status.HTTP_200_OK):
        exercise = get_object_or_404(
            Exercise.objects.for_user(self.request.user).with_catalog_relations(), pk=exercise.pk
        )
        return Response(
            ExerciseSerializer(exercise, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exercise = services.exercise_create(clinic=request.user.clinic, **serializer.validated_data)
        return self._read(exercise, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        exercise = self.get_object()
        serializer = self.get_serializer(exercise, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.exercise_update(exercise=exercise, **serializer.validated_data)
        return self._read(exercise)

    def update(self, request, *args, **kwargs):  # PUT is not offered
        return self.http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: ExerciseSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take the exercise out of the catalog; programs that use it keep it."""
        return self._read(services.exercise_archive(exercise=self.get_object()))

    @extend_schema(request=None, responses={200: ExerciseSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Offer an archived exercise again."""
        return self._read(services.exercise_restore(exercise=self.get_object()))


class ProgressionSeriesViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Easier-to-harder ladders of exercises, each step with its mastery criterion."""

    permission_classes = [IsClinicStaff]
    serializer_class = ProgressionSeriesSerializer
    filterset_class = SeriesFilter
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        return ProgressionSeries.objects.for_user(self.request.user).prefetch_related(
            Prefetch("steps", queryset=selectors.steps_with_exercises())
        )


class EquipmentViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Equipment of the library and the clinic. Show the affiliate disclaimer next to any
    purchase link."""

    permission_classes = [IsClinicStaff]
    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilter
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        return Equipment.objects.for_user(self.request.user)


@extend_schema_view(
    create=extend_schema(request=DisclaimerPublishSerializer, responses={201: DisclaimerSerializer})
)
class DisclaimerViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Every disclaimer version the clinic can read (its own, then the defaults); clinic
    admins publish a new version (versions are never edited)."""

    permission_classes = [StaffReadsAdminWrites]
    serializer_class = DisclaimerSerializer
    filterset_class = DisclaimerFilter
    ordering_fields = ["version", "published_at"]
    ordering = ["kind", "-version", "pk"]

    def get_queryset(self):
        return Disclaimer.objects.for_user(self.request.user)

    def get_serializer_class(self):
        return DisclaimerPublishSerializer if self.action == "create" else DisclaimerSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        disclaimer = services.disclaimer_publish(
            clinic=request.user.clinic, published_by=request.user, **serializer.validated_data
        )
        return Response(DisclaimerSerializer(disclaimer).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DisclaimerSerializer(many=True)}, filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def current(self, request):
        """The disclaimers in force for the clinic now, one per kind."""
        current = selectors.disclaimers_current(clinic=request.user.clinic_id)
        return Response(DisclaimerSerializer(current.values(), many=True).data)
