"""Staff personas for the console: a moderator, a compliance officer and a superuser, each with a TOTP device.

`console(user)` gives a test client already past the two-factor sign-in, as the browser would be.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.console.roles import COMPLIANCE_OFFICER, MODERATOR
from tests.factories import UserFactory


def enrol(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True)


def staff_member(email: str, full_name: str, role: str | None = None, **extra: Any) -> Any:
    user = UserFactory(email=email, full_name=full_name, is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    enrol(user)
    return user


@pytest.fixture
def moderator(db) -> Any:
    return staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR)


@pytest.fixture
def compliance_officer(db) -> Any:
    return staff_member("compliance@gpc.test", "Zhou Hui 周慧", COMPLIANCE_OFFICER)


@pytest.fixture
def superuser(db) -> Any:
    return staff_member("root@gpc.test", "Sam Superuser", is_superuser=True)


@pytest.fixture
def console() -> Callable[[Any], Client]:
    """A client signed in to the admin with password and TOTP (the session carries the verified device)."""

    def signed_in(user: Any) -> Client:
        device = enrol(user)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return signed_in


def make_asset(company: Any, *, status: str, code_name: str = "LMN-2202") -> Any:
    """A listing built straight in the database, with the complete teaser submission requires."""
    from django.utils import timezone

    from apps.catalog.models import Asset

    return Asset.objects.create(
        owner_company=company, status=status, code_name=code_name, modality="bispecific_antibody",
        stage="phase_2", summary_en="First-in-class PD-1xVEGF bispecific antibody for solid tumours.",
        therapeutic_areas=["oncology"], deal_types=["exclusive_license"], territories=["US", "DE", "JP"],
        submitted_at=timezone.now() if status == "submitted" else None,
    )


def make_room(company: Any, code_name: str = "LMN-2201") -> Any:
    from apps.datarooms.models import DataRoom

    asset = make_asset(company, status="published", code_name=code_name)
    return DataRoom.objects.create(asset=asset, owner_company=company, name=f"{code_name} diligence room")


@pytest.fixture(autouse=True)
def steady_estimates(monkeypatch):
    """Row estimates (apps/console/scale.py) read afresh per test and kept for its whole length, so a page's query
    count never depends on how long a test took."""
    from apps.console import scale

    scale.forget_estimates()
    monkeypatch.setattr(scale, "_ESTIMATE_TTL", float("inf"))
    yield
    scale.forget_estimates()


# --- a real Chromium (Debian's package, driven by Playwright) for the browser tests --------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between two
    # browser steps are ordinary synchronous calls, so Django's async-safety guard is lifted for these tests only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser, live_server, request) -> Iterator[Any]:
    """`open_page(locale)` gives a fresh page; every page is photographed when the test ends."""
    pages: list[Any] = []

    def opener(locale: str = "en-GB") -> Any:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        pages.append(page)
        return page

    yield opener
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(pages):
        suffix = f"-{index + 1}" if len(pages) > 1 else ""
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}{suffix}.png"), full_page=True)
        page.context.close()
