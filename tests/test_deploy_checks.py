"""Production settings: `check --deploy` is clean, nothing starts without its secrets, guards are on."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**overrides: str | None) -> dict[str, str]:
    # A clean environment, as on a server: nothing leaks in from the test run (DJANGO_ALLOW_ASYNC_UNSAFE...).
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "ALLOWED_HOSTS": "portal.example.cn",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_prints_no_warning_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = _manage("check", env=_production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production." in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", env=_production_env(SECRET_KEY="too-short"))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def test_production_serves_hashed_static_files_and_keeps_cache_and_broker_in_redis():
    # The cache is Redis behind a backend that fails open; sessions live in the database, with a short-lived
    # copy in the cache (portal/session_store.py).
    script = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['staticfiles']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.CELERY_BROKER_URL == s.REDIS_URL);"
        "print(s.SESSION_ENGINE)"
    )
    result = _manage("shell", "--no-imports", "-c", script, env=_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "portal.fail_open_cache.FailOpenRedisCache",
        "True",
        "portal.session_store",
    ]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_a_post_without_a_csrf_token_is_rejected():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    response = client.post(reverse("accounts:phone_login"), {"phone": "13800001111"})
    assert response.status_code == 403


def test_axes_checks_every_password_login_first():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
