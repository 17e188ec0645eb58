"""Settings come from the environment, and production refuses to start unsafe."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.env import DEVELOPMENT_SECRET_KEY, check_production_settings, env_bool, env_list

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)


def run_manage(*args, **env):
    """Run manage.py in a fresh process with only the given variables set (no inherited ones)."""
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production(**overrides):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "clinic.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://clinic.example.org",
        "SITE_URL": "https://clinic.example.org",
    }
    return {**env, **overrides}


def test_production_refuses_debug():
    result = run_manage("check", **production(DEBUG="true"))

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_a_missing_secret_key():
    result = run_manage("check", **production(SECRET_KEY=""))

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = run_manage("check", **production(SECRET_KEY=DEVELOPMENT_SECRET_KEY))

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_starts_with_no_environment_at_all():
    result = run_manage(
        "shell", "-v", "0", "-c", "from django.conf import settings as s; print(s.DEBUG)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_manage(
        "shell", "-v", "0", "-c", code, DATABASE_URL="postgres://u:p@db.internal:5432/hep"
    )

    assert result.stdout.split() == ["django.db.backends.postgresql", "hep", "60", "True"]


def test_healthz_answers_503_when_the_database_is_down():
    code = (
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.json()['database'])"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        ALLOWED_HOSTS="testserver",
    )

    assert result.stdout.split() == ["503", "unavailable"], result.stderr


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"debug": True, "secret_key": GOOD_KEY, "allowed_hosts": ["x"]}, "DEBUG"),
        ({"debug": False, "secret_key": "short", "allowed_hosts": ["x"]}, "at least"),
        ({"debug": False, "secret_key": "a" * 60, "allowed_hosts": ["x"]}, "at least"),
        ({"debug": False, "secret_key": GOOD_KEY, "allowed_hosts": []}, "ALLOWED_HOSTS"),
        ({"debug": False, "secret_key": GOOD_KEY, "allowed_hosts": ["x"]}, "SITE_URL"),
    ],
)
def test_check_production_settings_rules(kwargs, message):
    kwargs.setdefault("site_url", "" if message == "SITE_URL" else "https://x.org")
    with pytest.raises(ImproperlyConfigured, match=message):
        check_production_settings(**kwargs)


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("HOSTS", " a.org, b.org ,,")
    monkeypatch.setenv("BAD_FLAG", "maybe")

    assert env_bool("FLAG") is True
    assert env_bool("UNSET_FLAG", default=True) is True
    assert env_list("HOSTS") == ["a.org", "b.org"]
    with pytest.raises(ImproperlyConfigured):
        env_bool("BAD_FLAG")


def test_redis_url_shares_the_cache_between_processes():
    code = (
        "from django.conf import settings as s; from django.core.cache import cache; "
        "print(s.CACHES['default']['BACKEND']); cache.set('hep-probe', 'ok', 5); "
        "print(cache.get('hep-probe'))"
    )
    result = run_manage("shell", "-v", "0", "-c", code, REDIS_URL="redis://127.0.0.1:6379/15")

    lines = result.stdout.split()
    assert lines[:1] == ["django.core.cache.backends.redis.RedisCache"], result.stderr
    if len(lines) < 2:
        pytest.skip(f"no Redis server answered on 127.0.0.1:6379: {result.stderr[-200:]}")
    assert lines[1] == "ok"


@pytest.mark.parametrize("site_url", ["", "http://clinic.example.org", "https://"])
def test_production_refuses_a_missing_or_plain_http_site_url(site_url):
    result = run_manage("check", **production(SITE_URL=site_url))

    assert result.returncode != 0
    assert "Set SITE_URL" in result.stderr
