"""Delivery scenarios: one per notification kind, proving that its intended recipient receives it.

Every registered kind needs exactly one scenario (tests/notifications/test_every_kind_is_delivered.py fails
otherwise). A scenario lives in `tests/<app>/notification_scenarios.py` (found automatically), drives the
real service as a real person in the standard world, and says who must be told and what they must read:

    from tests.notifications.scenarios import Told, scenario

    @scenario("dataroom.access_revoked")
    def _(world):
        room = build_room(world, grant="download")
        services.grant_revoke(actor=world.admin, grant=room.grant)
        return Told(world.other_member, says="was revoked", says_zh="已被撤销", not_told=[world.owner])

The runner then makes the recipient a Chinese reader, delivers the events of that kind exactly as the
worker does (`event_deliver`, the real visibility rule), and checks the in-app notification (in Chinese,
containing `says_zh`; the English rendering contains `says`), the e-mail where the kind's default delivery
e-mails (to the recipient, in Chinese), the digest mark where it digests, and that nobody in `not_told`
got anything of that kind. For e-mail-only kinds (`in_app=False`) name the `address` instead of a person
and run the service inside `translation.override("zh-hans")`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Told:
    person: Any = None  # the intended recipient (a real user), or None for an e-mail-only kind
    says: str = ""  # text the English reader sees in the title or body
    says_zh: str = ""  # text the Chinese reader sees in the title or body
    not_told: Sequence[Any] = field(default_factory=list)  # people who must not get it (wrong audience)
    address: str = ""  # e-mail-only kinds: the bare address that must receive it


Scenario = Callable[[Any], Told]
SCENARIOS: dict[str, Scenario] = {}


def scenario(code: str) -> Callable[[Scenario], Scenario]:
    """Register the delivery scenario of kind `code` (one per kind)."""

    def register(function: Scenario) -> Scenario:
        if code in SCENARIOS:
            raise AssertionError(f"two delivery scenarios for {code}: {SCENARIOS[code].__module__} and "
                                 f"{function.__module__}")
        SCENARIOS[code] = function
        return function

    return register


def load_all() -> dict[str, Scenario]:
    """Import every tests/<app>/notification_scenarios.py (each registers its scenarios)."""
    import importlib
    from pathlib import Path

    tests_dir = Path(__file__).resolve().parents[1]
    for path in sorted(tests_dir.glob("*/notification_scenarios.py")):
        importlib.import_module(f"tests.{path.parent.name}.notification_scenarios")
    return SCENARIOS
