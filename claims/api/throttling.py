"""Rate limits: anonymous clients by IP (API_ANON_RATE, default 100/min), signed-in users by
account (API_USER_RATE, default 1000/min). Counters live in the shared "throttle" cache
(settings.CACHES: Redis, or a folder of the machine's), which every server process sees.

DRF reads the rates once at import; these read them per request, so settings overrides (tests,
a changed environment after reload) take effect."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _CurrentRates:
    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    pass


class UserThrottle(_CurrentRates, UserRateThrottle):
    def get_cache_key(self, request, view):
        # DRF's user throttle also counts anonymous clients (by IP): leave them to AnonThrottle.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
