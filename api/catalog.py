"""The catalog: exercises, progression series, equipment and disclaimers.

Staff read the shared library and their clinic's rows (`for_user`); clinic admins create and
change their clinic's exercises (`editable_by`) through exercises/services.py, the functions
the catalog pages call.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from api.conventions import ETagMixin, OutputSerializer, caller
from api.filters import BoundedIntegerFilter, UpdatedAfterFilter
from api.permissions import IsClinicStaff, StaffReadsAdminWrites
from exercises import selectors, services
from exercises.models import (
    BodyRegion,
    Difficulty,
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    Muscle,
    Position,
    ProgressionSeries,
    ProgressionStep,
)

# --- Serializers -----------------------------------------------------------------------------


class EquipmentSerializer(OutputSerializer):
    is_library = serializers.BooleanField(read_only=True)

    class Meta:
        model = Equipment
        fields = ["id", "name", "slug", "purchase_url", "is_library", "updated_at"]
        read_only_fields = fields


class ExerciseSummarySerializer(OutputSerializer):
    """An exercise as other resources name it."""

    class Meta:
        model = Exercise
        fields = ["id", "name", "slug", "is_active"]
        read_only_fields = fields


class ExerciseSerializer(OutputSerializer):
    body_regions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    muscles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    equipment = EquipmentSerializer(many=True, read_only=True)
    image = serializers.SerializerMethodField()
    is_library = serializers.BooleanField(read_only=True)
    dosage_text = serializers.CharField(read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "slug",
            "summary",
            "instructions",
            "cues",
            "position",
            "starting_position",
            "body_regions",
            "muscles",
            "equipment",
            "difficulty",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "per_side",
            "dosage_text",
            "video_url",
            "image",
            "image_alt",
            "is_active",
            "is_library",
            "copied_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_image(self, exercise) -> str | None:
        """The picture's address (served only to those who may see the exercise)."""
        if not exercise.image:
            return None
        url = reverse("catalog:exercise_image", args=[exercise.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class TextLinesField(serializers.ListField):
    child = serializers.CharField(max_length=1000)
    max_length = 50


class ExerciseWriteSerializer(serializers.ModelSerializer):
    """What a clinic admin sends to add or change an exercise. Equipment must be the
    library's or the clinic's own (another clinic's id is an unknown id)."""

    slug = serializers.SlugField(
        max_length=80, required=False, allow_blank=True, allow_unicode=True
    )
    instructions = TextLinesField(min_length=1)
    cues = TextLinesField(required=False)
    body_regions = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=BodyRegion.objects.all()
    )
    muscles = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Muscle.objects.all()
    )
    equipment = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Equipment.objects.none()
    )

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "summary",
            "instructions",
            "cues",
            "position",
            "starting_position",
            "body_regions",
            "muscles",
            "equipment",
            "difficulty",
            "default_sets",
            "default_reps",
            "default_hold_seconds",
            "per_side",
            "video_url",
            "image_alt",
        ]
        validators = []  # uniqueness and the rest: the service's full_clean()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].child_relation.queryset = Equipment.objects.for_user(caller(self))


class ProgressionStepSerializer(OutputSerializer):
    exercise = ExerciseSummarySerializer(read_only=True)

    class Meta:
        model = ProgressionStep
        fields = ["id", "position", "exercise", "advance_when"]
        read_only_fields = fields


class ProgressionSeriesSerializer(OutputSerializer):
    steps = ProgressionStepSerializer(many=True, read_only=True)
    is_library = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProgressionSeries
        fields = ["id", "name", "slug", "description", "is_library", "steps", "updated_at"]
        read_only_fields = fields


class DisclaimerSerializer(OutputSerializer):
    is_default = serializers.BooleanField(read_only=True)

    class Meta:
        model = Disclaimer
        fields = ["id", "kind", "title", "body", "version", "published_at", "is_default"]
        read_only_fields = fields


class DisclaimerPublishSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DisclaimerKind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20000)


# --- Filters ---------------------------------------------------------------------------------

SOURCE_CHOICES = [
    (selectors.LIBRARY_SOURCE, _("Shared library")),
    (selectors.CLINIC_SOURCE, _("My clinic")),
]


class ExerciseFilter(filters.FilterSet):
    """The catalog page's filters; the selector `exercise_catalog` applies them."""

    q = filters.CharFilter(method="by_selector", max_length=100, help_text=_("Search words."))
    position = filters.ChoiceFilter(choices=Position.choices, method="by_selector")
    equipment = BoundedIntegerFilter(method="by_selector", help_text=_("Equipment id."))
    difficulty = filters.TypedChoiceFilter(
        choices=Difficulty.choices, coerce=int, method="by_selector"
    )
    source = filters.ChoiceFilter(choices=SOURCE_CHOICES, method="by_selector")
    include_archived = filters.BooleanFilter(
        method="by_selector", help_text=_("Clinic admins only: archived exercises too.")
    )
    updated_after = UpdatedAfterFilter()

    def by_selector(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        exercises = selectors.exercise_catalog(
            user=self.request.user,
            query=data.get("q") or "",
            position=data.get("position") or "",
            equipment=data.get("equipment"),
            difficulty=data.get("difficulty") or None,
            source=data.get("source") or "",
            include_archived=bool(data.get("include_archived")),
        )
        if data.get("updated_after"):
            exercises = exercises.filter(updated_at__gt=data["updated_after"])
        return exercises


class SeriesFilter(filters.FilterSet):
    updated_after = UpdatedAfterFilter()
    exercise = BoundedIntegerFilter(
        field_name="steps__exercise", distinct=True, help_text=_("Series containing it.")
    )


class EquipmentFilter(filters.FilterSet):
    updated_after = UpdatedAfterFilter()


class DisclaimerFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DisclaimerKind.choices)


# --- Views -----------------------------------------------------------------------------------


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

    def _read(self, exercise, code=status.HTTP_200_OK):
        exercise = get_object_or_404(Exercise.objects.with_catalog_relations(), pk=exercise.pk)
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
