"""The session engine (SESSION_ENGINE = "clinic.sessions"): Django's cached database sessions
(read from the cache, written through to the database) in the `UserSession` table, which also
records whose session it is."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore


class SessionStore(CachedDatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from clinic.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session


def forget_sessions(session_keys) -> None:
    """Drop ended sessions from the cache too (their rows are deleted by the caller)."""
    from django.core.cache import caches

    prefix = SessionStore.cache_key_prefix
    caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in session_keys])
