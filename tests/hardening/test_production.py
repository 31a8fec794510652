"""Production settings: HTTPS only (HSTS, secure cookies, redirect), and no start without their variables.

tests/core/test_deploy.py covers `check --deploy`, the secret key and the database URL; these add the
allowed hosts and what a browser actually receives.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.core.test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="gpc.example")
plain = Client().get("/healthz", HTTP_HOST="gpc.example")
print(json.dumps({
    "hsts": response.get("Strict-Transport-Security", ""),
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "session_secure": settings.SESSION_COOKIE_SECURE, "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY, "debug": settings.DEBUG,
    "session_age": settings.SESSION_COOKIE_AGE, "expire_at_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
}))
"""


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def _production_facts() -> dict:
    result = _python(PROBE, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains():
    hsts = _production_facts()["hsts"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_production_redirects_plain_http_to_https():
    facts = _production_facts()
    assert facts["plain_status"] == 301
    assert facts["plain_location"].startswith("https://")


def test_production_cookies_are_secure_and_debug_is_off():
    facts = _production_facts()
    assert facts["session_secure"] and facts["csrf_secure"] and facts["session_httponly"]
    assert facts["debug"] is False


def test_admin_sessions_expire():
    facts = _production_facts()
    assert facts["expire_at_close"] is True
    assert 0 < facts["session_age"] <= 8 * 3600


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = _python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_empty_allowed_hosts():
    result = _python("import django; django.setup()", {**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr
