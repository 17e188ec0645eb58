"""What the catalog endpoints send and accept."""

from django.urls import reverse
from rest_framework import serializers

from api.output import OutputSerializer, caller
from exercises.models import (
    BodyRegion,
    Disclaimer,
    DisclaimerKind,
    Equipment,
    Exercise,
    Muscle,
    ProgressionSeries,
    ProgressionStep,
)


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
