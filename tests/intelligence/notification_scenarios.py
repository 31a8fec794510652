"""Delivery scenario of the deal-intelligence kind (runner: tests/notifications/test_every_kind_is_delivered.py)."""

from __future__ import annotations

from apps.intelligence import services
from tests.agreements import helpers as agreement_helpers
from tests.notifications.scenarios import Told, scenario


@scenario("intelligence.contribution_requested")
def _contribution_requested(world):
    # Lumina's owner consents to contribute the executed licence: Northbridge's signatory is asked; Lumina's own
    # people and Northbridge's plain member (who cannot consent) are not.
    agreement = agreement_helpers.executed(world)
    services.contribution_consent(actor=world.owner, agreement=agreement)
    return Told(agreement_helpers.partner_admin(world), says="agreed to contribute LMN-2201 licence",
                says_zh="同意将 LMN-2201 licence 贡献给交易统计",
                not_told=[world.admin, world.member, world.other_member])
