"""Response headers that keep personal data out of caches and switch off browser features
the app never uses (security findings 9 and 16)."""

from django.conf import settings
from django.utils.cache import patch_cache_control

# Features no page of ours needs: a page that is ever injected with a script still cannot
# reach the camera, the microphone or the patient's location.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def mark_not_personal(response):
    """For a view whose answer holds nothing personal although a signed-in person asked (an
    exercise picture): its own Cache-Control stands. Returns the response."""
    response.not_personal_data = True
    return response


def _carries_personal_data(request, response) -> bool:
    """Anything answered to a signed-in person, anything from the API (a token response is
    anonymous but secret), and anything whose content depends on who asks; unless the view
    said otherwise with `mark_not_personal`."""
    if getattr(response, "not_personal_data", False):
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True
    if request.path.startswith("/api/"):
        return True
    vary = response.get("Vary", "").lower()
    return "cookie" in vary or "authorization" in vary


class SecurityHeadersMiddleware:
    """`Cache-Control: private, no-store` on every response that may carry personal data, so
    no browser, proxy or shared computer keeps a copy of a patient's page; and a
    `Permissions-Policy` on every response. Static files never get here (whitenoise answers
    them earlier, with long public caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _carries_personal_data(request, response) and not request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response
