"""Demo agreement: Lumina licenses LMN-2201 to Northbridge (worldwide ex-Greater China), in negotiation, two
versions; plus exchange rates. Idempotent: a second run adds nothing."""

import datetime
from decimal import Decimal
from typing import Any

from apps.agreements import services
from apps.agreements.models import Agreement, AgreementStatus, ExchangeRate
from apps.catalog.models import Asset, DealType

TITLE = "LMN-2201 exclusive licence (worldwide ex-Greater China)"

RATES = [  # USD per unit, fictional but plausible
    ("CNY", "0.1380", datetime.date(2026, 1, 2)),
    ("EUR", "1.0850", datetime.date(2026, 1, 2)),
    ("JPY", "0.00665", datetime.date(2026, 1, 2)),
    ("CNY", "0.1392", datetime.date(2026, 6, 1)),
    ("EUR", "1.0910", datetime.date(2026, 6, 1)),
    ("JPY", "0.00671", datetime.date(2026, 6, 1)),
]


def _terms(lumina: Any, northbridge: Any, upfront: str, tiers: list[tuple[str, str | None, str]]) -> dict[str, Any]:
    return {
        "territory": "worldwide_ex_greater_china",
        "field_of_use": ["oncology"],
        "exclusivity": "exclusive",
        "term": {"years": 15, "description": "Until the later of 15 years or the last valid patent claim"},
        "currency": "USD",
        "upfront": upfront,
        "equity_investment": "25000000",
        "milestones": [
            {"key": "phase3_first_patient", "kind": "development", "description": "First patient dosed in the global phase 3",
             "amount": "40000000", "due_date": "2027-09-30"},
            {"key": "fda_approval", "kind": "regulatory", "description": "FDA approval (first indication)",
             "amount": "150000000", "regulatory_event": "fda:approved"},
            {"key": "ema_approval", "kind": "regulatory", "description": "EMA approval (first indication)",
             "amount": "80000000", "regulatory_event": "ema:approved"},
            {"key": "sales_1b", "kind": "sales", "description": "Annual net sales reach USD 1 billion",
             "amount": "250000000", "sales_threshold": "1000000000"},
        ],
        "royalty_tiers": [{"from_net_sales": lo, "to_net_sales": hi, "rate": rate} for lo, hi, rate in tiers],
        "governance": {
            "jsc_members": [{"company": lumina.pk, "name": "Li Wei 李伟", "title": "CEO"},
                            {"company": northbridge.pk, "name": "Olivia Grant", "title": "VP Business Development"}],
            "meeting_cadence": "quarterly", "first_meeting": "2026-03-15",
        },
    }


def _find_asset(assets: Any) -> Any:
    """ctx["assets"] from the catalog loader, keyed by code name or a plain list: find LMN-2201 either way."""
    if not assets:
        return None
    candidates = assets.values() if isinstance(assets, dict) else assets
    return next((a for a in candidates if getattr(a, "code_name", None) == "LMN-2201"), None)


def load(ctx: dict[str, Any]) -> None:
    for currency, rate, valid_on in RATES:
        ExchangeRate.objects.get_or_create(currency=currency, valid_on=valid_on,
                                           defaults={"usd_per_unit": Decimal(rate), "source": "Demo data"})
    companies, people = ctx.get("companies") or {}, ctx.get("people") or {}
    lumina, northbridge = companies.get("lumina"), companies.get("northbridge")
    asset = _find_asset(ctx.get("assets"))
    if asset is None and lumina is not None:
        asset = Asset.objects.filter(owner_company=lumina, code_name="LMN-2201").first()
    if not (lumina and northbridge and asset and people.get("lumina_admin") and people.get("northbridge_admin")):
        return  # no catalog asset to license: nothing asset-dependent to create
    if Agreement.objects.filter(title=TITLE, licensor=lumina).exists():
        ctx.setdefault("agreements", {})["lmn2201"] = Agreement.objects.get(title=TITLE, licensor=lumina)
        return
    agreement = services.agreement_create(
        actor=people["lumina_admin"], title=TITLE, deal_type=DealType.EXCLUSIVE_LICENSE, licensor=lumina,
        partners=[northbridge], assets=[asset],
        terms=_terms(lumina, northbridge, "60000000", [("0", "500000000", "10"), ("500000000", None, "14")]))
    services.agreement_open(actor=people["lumina_admin"], agreement=agreement)
    services.version_propose(
        actor=people["northbridge_admin"], agreement=agreement, note="Counter-proposal: three royalty tiers",
        terms=_terms(lumina, northbridge, "60000000",
                     [("0", "500000000", "9"), ("500000000", "1000000000", "12"), ("1000000000", None, "15")]))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NEGOTIATION
    ctx.setdefault("agreements", {})["lmn2201"] = agreement
