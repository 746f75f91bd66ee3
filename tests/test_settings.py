"""Settings come from the environment and refuse unsafe production defaults."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.DEBUG, "
    "s.ALLOWED_HOSTS)"
)


def settings_with(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="casualty_tracker.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = settings_with()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_gives_a_development_key_and_local_hosts():
    result = settings_with(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 3)[2:] == ["True", "['localhost', '127.0.0.1']\n"]


def test_no_database_url_means_an_sqlite_file_in_the_project_folder():
    result = settings_with(SECRET_KEY="x", DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    engine, name, *_ = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "db.sqlite3")


def test_database_url_selects_postgresql():
    result = settings_with(SECRET_KEY="x", DATABASE_URL="postgres://u:p@db.example:5432/claims")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "claims"]


def test_a_misspelt_boolean_is_an_error_not_a_silent_false():
    result = settings_with(SECRET_KEY="x", DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'ture'." in result.stderr


def test_deploy_checks_pass_with_production_variables():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest, never in production.
    unset = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY="x" * 20 + "production-only-secret-key-of-fifty-characters",
        ALLOWED_HOSTS="claims.example.org",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def readme_production_variables() -> dict[str, str]:
    """The `export ...` block of the README's "Serving in production"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Serving in production", 1)[1]
    block = section.split("```sh\n", 1)[1].split("make serve", 1)[0]
    return dict(re.findall(r"([A-Z_]+)=(\S+)", block))


def test_deploy_checks_pass_with_the_readmes_production_variables():
    variables = readme_production_variables()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= variables.keys()
    unset = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    # The README's key is "..."; check --deploy checks a real one's length and variety.
    env.update(variables, SECRET_KEY="readme-" + "k7Q-" * 14)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # The two silenced checks ask for HSTS includeSubDomains and preload, which a deployment opts
    # into (settings: SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD), never by default.
    assert result.stdout == "System check identified no issues (2 silenced).\n"
