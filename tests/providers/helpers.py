"""The provider-marketplace world, on top of tests/conftest.py's personas.

Shanghai Lumina (the standard licensor; its admin and member are the requester's admin and member) needs a US
Agent for the FDA. Four verified service providers exist:

* Harborline Regulatory (US agent, US)        persona invited_provider     invited to the request
* Keystone Regulatory (US agent, US + EU)     persona competitor_provider  invited too, sends its own proposal
* Matchwell Regulatory (US agent, US)         persona matching_provider    matches, but is not invited
* Sakura Clinical (clinical CRO, Japan)       persona nonmatching_provider matches nothing
Hangzhou Jade Peak (another biotech)          persona other_biotech
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.companies.models import CompanyKind, Role
from apps.providers import services
from apps.providers.models import Engagement, Proposal, ProviderProfile, ServiceRequest
from tests.factories import CompanyFactory, UserFactory, add_member

PROVIDERS = {
    "invited_provider": ("Harborline Regulatory", "港线法规", ["us_agent", "regulatory_strategy"], ["us"], "en"),
    "competitor_provider": ("Keystone Regulatory", "基石法规", ["us_agent"], ["us", "eu"], "zh-hans"),
    "matching_provider": ("Matchwell Regulatory", "匹配法规", ["us_agent"], ["us"], "en"),
    "nonmatching_provider": ("Sakura Clinical", "樱花临床", ["clinical_cro"], ["japan"], "en"),
}
EXTRA_PERSONAS = (*PROVIDERS, "other_biotech")


def providers(world: Any) -> dict[str, ProviderProfile]:
    """The four providers and the other biotech, each with one admin person (added to world.people)."""
    if "profiles" in world.extra:
        return world.extra["profiles"]
    profiles = {}
    for persona, (name_en, name_zh, categories, jurisdictions, language) in PROVIDERS.items():
        company = CompanyFactory(name_en=name_en, name_zh=name_zh, kind=CompanyKind.SERVICE_PROVIDER, country="US")
        person = UserFactory(email=f"{persona}@providers.test", full_name=f"{name_en} Admin",
                             preferred_language=language)
        add_member(company, person, Role.ADMIN)
        world.people[persona] = person
        profiles[persona] = services.profile_create(
            actor=person, company=company, headline_en=f"{name_en}: services abroad", headline_zh=f"{name_zh}服务",
            categories=categories, jurisdictions=jurisdictions, languages=["en", "zh"],
            price_min="20000.00", price_max="90000.00", price_currency="USD")
    jade = CompanyFactory(name_en="Hangzhou Jade Peak Pharmaceuticals", name_zh="杭州玉峰医药",
                          kind=CompanyKind.BIOTECH, country="CN")
    world.people["other_biotech"] = UserFactory(email="member@jade.test", full_name="Jade Member")
    add_member(jade, world.people["other_biotech"], Role.MEMBER)
    world.extra["jade"] = jade
    world.extra["profiles"] = profiles
    return profiles


def company(world: Any, persona: str) -> Any:
    return providers(world)[persona].company


def rfp(world: Any, *, visibility: str = "invited", deadline_in: timedelta = timedelta(days=7),
        terms: bool = False) -> ServiceRequest:
    """Lumina's request for a US Agent, inviting Harborline and Keystone (or open to every matching provider)."""
    key = f"rfp-{visibility}{'-terms' if terms else ''}"
    if key in world.extra:
        return world.extra[key]
    providers(world)
    invited = [company(world, "invited_provider"), company(world, "competitor_provider")]
    request = services.request_create(
        actor=world.admin, title="US Agent for LMN-2201 IND", category="us_agent", jurisdictions=["us"],
        scope_en="Act as US Agent for the FDA for our IND; weekly FDA correspondence.", scope_zh="担任美国代理人。",
        timeline="12 months from IND submission", budget_min="30000", budget_max="80000", currency="USD",
        deadline=timezone.now() + deadline_in, visibility=visibility,
        providers=invited if visibility == "invited" else [],
        terms_en="Keep everything confidential." if terms else "", terms_zh="一切保密。" if terms else "")
    world.extra[key] = request
    return request


def terms(**overrides: Any) -> dict[str, Any]:
    data = {"pricing_model": "fixed", "amount": "60000.00", "currency": "USD",
            "milestones": [{"title": "IND filed", "amount": "20000.00", "due": "month 1"},
                           {"title": "First FDA meeting", "amount": "40000.00", "due": "month 6"}],
            "timeline": "12 months", "team": "Two former FDA reviewers", "assumptions": "One IND"}
    data.update(overrides)
    return data


def proposal(world: Any, persona: str = "invited_provider", **overrides: Any) -> Proposal:
    key = f"proposal-{persona}"
    if key in world.extra:
        return world.extra[key]
    request = rfp(world)
    world.extra[key] = services.proposal_submit(actor=world.people[persona], request=request, **terms(**overrides))
    return world.extra[key]


def competitor_proposal(world: Any) -> Proposal:
    return proposal(world, "competitor_provider", amount="450000.00", currency="CNY",
                    milestones=[{"title": "All", "amount": "450000.00"}])


def engagement(world: Any) -> Engagement:
    if "engagement" in world.extra:
        return world.extra["engagement"]
    competitor_proposal(world)
    world.extra["engagement"] = services.proposal_award(actor=world.admin, proposal=proposal(world))
    return world.extra["engagement"]


def completed(world: Any) -> Engagement:
    done = engagement(world)
    if done.status != "completed":
        done = services.engagement_complete(actor=world.admin, engagement=done)
        world.extra["engagement"] = done
    return done
