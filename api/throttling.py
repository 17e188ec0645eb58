"""Request rates per client: anonymous, signed-in, and token requests."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from clinic.client_address import client_address


class RuntimeRatesMixin:
    """Read the rate when a request comes, not when the module is imported, so the rates
    follow the settings (DRF's own classes keep the dict they saw at import time)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client address the whole site uses (NUM_PROXIES), never a raw header."""
        return client_address(request) or "unknown"


class AnonRateThrottle(RuntimeRatesMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RuntimeRatesMixin, throttling.UserRateThrottle):
    pass


class TokenRateThrottle(RuntimeRatesMixin, throttling.AnonRateThrottle):
    """Token requests per client address, on top of django-axes' per-account lockout."""

    scope = "token"
