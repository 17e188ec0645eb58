"""`manage.py render_illustrations DIR`: PNG pictures of every library exercise's start and
end pose, for reviewing the drawings (and for notes and slides) outside a browser."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exercises.illustrations.renderer import illustration_svg
from exercises.models import Exercise


class Command(BaseCommand):
    help = (
        "Write <slug>-start.png and <slug>-end.png (and the SVGs) for every library exercise "
        "that has poses. Needs CairoSVG (pip install cairosvg; it uses the system's libcairo2)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--width", type=int, default=600, help="PNG width in pixels.")

    def handle(self, *args, directory: Path, width: int, **options):
        try:
            import cairosvg
        except (ImportError, OSError) as error:
            raise CommandError(
                f"CairoSVG is not usable ({error}). Install it with `pip install cairosvg` "
                "and the system package libcairo2."
            ) from error
        if width < 50 or width > 4000:
            raise CommandError("--width must be from 50 to 4000 pixels.")
        exercises = [e for e in Exercise.objects.library().order_by("slug") if e.poses]
        if not exercises:
            raise CommandError("No library exercise has poses: run `manage.py load_library`.")
        directory.mkdir(parents=True, exist_ok=True)
        for exercise in exercises:
            for frame in ("start", "end"):
                svg = illustration_svg(exercise.poses, frame, exercise.illustration_alt[frame])
                stem = directory / f"{exercise.slug}-{frame}"
                stem.with_suffix(".svg").write_text(svg, encoding="utf-8")
                cairosvg.svg2png(
                    bytestring=svg.encode(),
                    write_to=str(stem.with_suffix(".png")),
                    output_width=width,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {2 * len(exercises)} pictures of {len(exercises)} exercises to {directory}."
            )
        )
