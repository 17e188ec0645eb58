"""Draw the portal's app icons (static/img/portal/) with Pillow: a white tick on the brand
blue, plain and maskable (the tick inside the central 80 % safe zone), at 192 and 512 pixels.
Run once when the design changes and commit the PNGs; nothing is drawn at run time."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

BRAND = (11, 95, 165)  # --brand in static/css/app.css
WHITE = (255, 255, 255)


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=BRAND)  # the platform cuts its own shape
        scale = 0.55  # the tick stays well inside the 80 % safe zone
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BRAND)
        scale = 0.7
    inset = size * (1 - scale) / 2
    points = [(0.12, 0.55), (0.40, 0.80), (0.88, 0.22)]
    tick = [(inset + x * size * scale, inset + y * size * scale) for x, y in points]
    draw.line(tick, fill=WHITE, width=max(4, int(size * scale * 0.14)), joint="curve")
    return image


class Command(BaseCommand):
    help = "Draw the portal's app icons into static/img/portal/."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "img" / "portal"
        folder.mkdir(parents=True, exist_ok=True)
        for size in (192, 512):
            for maskable in (False, True):
                name = f"icon-{'maskable-' if maskable else ''}{size}.png"
                draw_icon(size, maskable=maskable).save(folder / name, optimize=True)
                self.stdout.write(f"static/img/portal/{name}")
