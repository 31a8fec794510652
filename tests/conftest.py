"""Personas and the standard world every test speaks in.

The licensor is Shanghai Lumina Biotherapeutics (verified, mainland China) with an owner, an admin,
a member and a viewer; the partner is Northbridge Pharma (verified, US) with one member; an outsider
has an account but no company; staff run the platform.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from apps.companies.models import CompanyKind, Role
from tests.contract import observed
from tests.factories import CompanyFactory, UserFactory, add_member

PERSONAS = ("anonymous", "outsider", "other_member", "viewer", "member", "admin", "owner", "staff")


@dataclass
class World:
    licensor: Any
    partner: Any
    people: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, persona: str, language: str | None = None) -> APIClient:
        client = APIClient()
        if language:
            client.credentials(HTTP_ACCEPT_LANGUAGE=language)
        user = self.people.get(persona)
        if user is not None:
            client.force_authenticate(user)
        return client


def build_world() -> World:
    licensor = CompanyFactory(name_en="Shanghai Lumina Biotherapeutics", name_zh="上海流明生物",
                              kind=CompanyKind.BIOTECH, country="CN")
    partner = CompanyFactory(name_en="Northbridge Pharma", name_zh="北桥制药", kind=CompanyKind.PHARMA, country="US")
    people: dict[str, Any] = {"anonymous": None}
    for role in (Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER):
        user = UserFactory(email=f"{role}@lumina.test", full_name=f"Lumina {role.title()}")
        add_member(licensor, user, role)
        people[str(role)] = user
    people["other_member"] = UserFactory(email="member@northbridge.test", full_name="Nora Northbridge")
    add_member(partner, people["other_member"], Role.MEMBER)
    people["outsider"] = UserFactory(email="outsider@example.test", full_name="Oscar Outsider")
    people["staff"] = UserFactory(email="staff@gpc.test", full_name="Stella Staff", is_staff=True)
    return World(licensor=licensor, partner=partner, people=people)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and axes state live in the Redis cache; every test starts from zero.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware leaves the last request's language active in the thread: a test that asked for zh-hans
    # must not make the next one read Chinese messages.
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


# Every error code the suite sees an operation answer with must be documented (tests/contract/observed.py).
def pytest_configure(config: Any) -> None:
    if not hasattr(config, "workerinput"):
        observed.start_run()


def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    observed.finish(session)


@pytest.fixture(autouse=True, scope="session")
def _record_error_codes() -> None:
    observed.install()
