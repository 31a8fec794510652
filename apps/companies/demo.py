"""Fictional companies and people (DOMAIN.md: never real company names)."""

from typing import Any

from django.contrib.auth.models import Group

from apps.accounts.models import User
from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus

DEMO_PASSWORD = "gpc-demo-2026"

COMPANIES = [
    ("lumina", dict(name_en="Shanghai Lumina Biotherapeutics", name_zh="上海流明生物治疗", kind=CompanyKind.BIOTECH,
                    country="CN", website="https://lumina.example",
                    description="Clinical-stage biotech developing bispecific antibodies and ADCs.",
                    verification_status=VerificationStatus.VERIFIED)),
    ("northbridge", dict(name_en="Northbridge Pharma", name_zh="北桥制药", kind=CompanyKind.PHARMA, country="US",
                         website="https://northbridge.example",
                         description="Mid-size US pharma in-licensing oncology and metabolic assets.",
                         verification_status=VerificationStatus.VERIFIED)),
    ("rhine", dict(name_en="Rhine Valley Therapeutics", name_zh="莱茵谷治疗", kind=CompanyKind.PHARMA, country="DE",
                   website="https://rhinevalley.example", description="European partner for autoimmune assets.",
                   verification_status=VerificationStatus.VERIFIED)),
    ("jade", dict(name_en="Hangzhou Jade Peak Pharmaceuticals", name_zh="杭州玉峰医药", kind=CompanyKind.BIOTECH,
                  country="CN", description="Metabolic disease peptides (GLP-1/GIP).",
                  verification_status=VerificationStatus.PENDING)),
]

PEOPLE = [
    # (key, email, full name, language, company key or None, role, is_staff/superuser)
    ("staff_admin", "admin@gpc.example", "Grace Platform", "en", None, None, True),
    ("lumina_owner", "ceo@lumina.example", "Li Wei 李伟", "zh-hans", "lumina", Role.OWNER, False),
    ("lumina_admin", "admin@lumina.example", "Chen Jing 陈静", "zh-hans", "lumina", Role.ADMIN, False),
    ("lumina_member", "scientist@lumina.example", "Zhang Min 张敏", "en", "lumina", Role.MEMBER, False),
    ("northbridge_admin", "bd@northbridge.example", "Olivia Grant", "en", "northbridge", Role.ADMIN, False),
    ("northbridge_member", "member@northbridge.example", "Noah Fields", "en", "northbridge", Role.MEMBER, False),
    ("rhine_admin", "bd@rhinevalley.example", "Anna Keller", "en", "rhine", Role.ADMIN, False),
    ("jade_owner", "ceo@jadepeak.example", "Wang Fang 王芳", "zh-hans", "jade", Role.OWNER, False),
]


def load(ctx: dict[str, Any]) -> None:
    companies: dict[str, Company] = {}
    for key, fields in COMPANIES:
        company = Company.objects.filter(name_en=fields["name_en"]).first()
        if company is None:
            group = Group.objects.create(name=f"company:demo:{key}")
            company = Company.objects.create(group=group, **fields)
        companies[key] = company
    people: dict[str, User] = {}
    for key, email, name, language, company_key, role, staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name,
                                            preferred_language=language, is_staff=staff, is_superuser=staff)
        people[key] = user
        if company_key:
            company = companies[company_key]
            Membership.objects.get_or_create(company=company, user=user, defaults={"role": str(role)})
            user.groups.add(company.group)
    ctx.update(companies=companies, people=people, password=DEMO_PASSWORD)
    ctx.setdefault("logins", []).extend([
        ("staff admin (Django admin)", "admin@gpc.example"),
        ("licensor admin (Lumina)", "admin@lumina.example"),
        ("licensor owner (Lumina)", "ceo@lumina.example"),
        ("partner member (Northbridge)", "member@northbridge.example"),
        ("partner admin (Northbridge)", "bd@northbridge.example"),
    ])
