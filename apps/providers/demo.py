"""Demo marketplace: two verified service providers and Lumina's open request for a US Agent with a proposal from
each (one in USD, one in EUR, so the comparison converts), plus an answer published to all bidders.
Fictional companies and people only. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus

from . import services
from .models import ProviderProfile, RequestQuestion, ServiceRequest

REQUEST_TITLE = "US Agent and FDA strategy for the LMN-2201 IND"

PROVIDERS = [
    # key, company fields, person (email, name, language), profile fields
    ("harborline",
     dict(name_en="Harborline Regulatory Partners", name_zh="港线法规咨询", country="US",
          website="https://harborline.example", description="US Agent and FDA strategy for Asian sponsors."),
     ("lead@harborline.example", "Grace Holloway", "en"),
     dict(headline_en="US Agent for the FDA and IND strategy for Asia-based sponsors",
          headline_zh="为亚洲申办方提供 FDA 美国代理人与 IND 策略服务",
          description_en="Former FDA reviewers acting as US Agent, running pre-IND meetings and FDA correspondence.",
          description_zh="由前 FDA 审评员担任美国代理人，负责 pre-IND 会议和与 FDA 的往来沟通。",
          categories=["us_agent", "regulatory_strategy"], jurisdictions=["us"], agencies=["FDA"],
          therapeutic_areas=["oncology", "immunology"], modalities=["bispecific_antibody", "adc"],
          languages=["en", "zh"], price_min="25000", price_max="120000", price_currency="USD",
          records=[{"record_type": "iso_certification", "agency": "other", "outcome": "certified",
                    "date": datetime.date(2025, 9, 1), "reference": "ISO 9001:2015"}])),
    ("meridian",
     dict(name_en="Meridian Clinical Research", name_zh="子午线临床研究", country="DE",
          website="https://meridian-cro.example", description="Clinical operations CRO in Europe and the US."),
     ("bd@meridian-cro.example", "Lukas Brandt", "en"),
     dict(headline_en="Clinical operations and regulatory support across the EU and the US",
          headline_zh="覆盖欧盟和美国的临床运营与注册支持",
          description_en="Phase 1-3 oncology trials, EU legal representative services and US Agent services.",
          description_zh="肿瘤 1-3 期临床试验、欧盟法定代表服务和美国代理人服务。",
          categories=["clinical_cro", "us_agent", "eu_legal_representative"], jurisdictions=["eu", "us"],
          agencies=["EMA", "FDA"], therapeutic_areas=["oncology"], modalities=["bispecific_antibody"],
          languages=["en", "de", "zh"], price_min="40000", price_max="2500000", price_currency="EUR",
          records=[{"record_type": "gcp_inspection", "agency": "EMA", "outcome": "passed",
                    "date": datetime.date(2025, 4, 14), "reference": "GCP inspection, no critical findings"}])),
]


def _provider(key: str, fields: dict[str, Any], person: tuple[str, str, str], profile: dict[str, Any],
              password: str) -> tuple[Company, User]:
    company = Company.objects.filter(name_en=fields["name_en"]).first()
    if company is None:
        company = Company.objects.create(group=Group.objects.create(name=f"company:demo:{key}"),
                                         kind=CompanyKind.SERVICE_PROVIDER,
                                         verification_status=VerificationStatus.VERIFIED,
                                         verified_at=timezone.now(), **fields)
    email, name, language = person
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name, preferred_language=language)
    Membership.objects.get_or_create(company=company, user=user, defaults={"role": str(Role.ADMIN)})
    user.groups.add(company.group)
    if not ProviderProfile.objects.filter(company=company).exists():
        services.profile_create(actor=user, company=company, **profile)
    return company, user


def load(ctx: dict[str, Any]) -> None:
    companies, people = ctx.get("companies", {}), ctx.get("people", {})
    password = ctx.get("password", "gpc-demo-2026")
    made = {key: _provider(key, fields, person, profile, password)
            for key, fields, person, profile in PROVIDERS}
    ctx.setdefault("logins", []).extend([("service provider (Harborline)", "lead@harborline.example"),
                                         ("service provider (Meridian)", "bd@meridian-cro.example")])
    lumina, admin = companies.get("lumina"), people.get("lumina_admin")
    if lumina is None or admin is None or ServiceRequest.objects.filter(title=REQUEST_TITLE).exists():
        return
    (harborline, harborline_lead), (meridian, meridian_bd) = made["harborline"], made["meridian"]
    request = services.request_create(
        actor=admin, company=lumina, title=REQUEST_TITLE, category="us_agent", jurisdictions=["us"],
        scope_en="Act as US Agent for the FDA for the LMN-2201 IND (PD-1xVEGF bispecific); prepare and attend the "
                 "pre-IND meeting; handle FDA correspondence for 12 months.",
        scope_zh="担任 LMN-2201 IND（PD-1×VEGF 双特异性抗体）的 FDA 美国代理人；准备并参加 pre-IND 会议；"
                 "负责 12 个月内与 FDA 的往来沟通。",
        timeline="Start within 4 weeks; 12 months", budget_min="40000", budget_max="120000", currency="USD",
        deadline=timezone.now() + timedelta(days=21), visibility="open", providers=[harborline, meridian],
        terms_en="Everything shared about LMN-2201 in this request is confidential and used only to prepare a "
                 "proposal.", terms_zh="本需求中关于 LMN-2201 的一切信息均属保密，仅可用于准备方案。")
    services.proposal_submit(
        actor=harborline_lead, request=request, pricing_model="fixed", amount="96000.00", currency="USD",
        milestones=[{"title": "Pre-IND meeting held", "amount": "36000.00", "due": "month 2"},
                    {"title": "IND cleared", "amount": "60000.00", "due": "month 6"}],
        timeline="12 months from signature", team="Two former FDA CMC and clinical reviewers",
        assumptions="One IND, up to two FDA meetings")
    services.proposal_submit(
        actor=meridian_bd, request=request, pricing_model="time_and_materials", amount="82000.00", currency="EUR",
        milestones=[], timeline="12 months", team="US regulatory lead, EU back-office",
        assumptions="Estimate at EUR 240 per hour")
    question = services.question_ask(actor=meridian_bd, request=request,
                                     text="Is the pre-IND briefing package already drafted?")
    services.question_answer(actor=admin, question=question, publish=True,
                             answer="A first draft exists in English; the provider finalises it.")
    assert RequestQuestion.objects.filter(request=request).exists()
