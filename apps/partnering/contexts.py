"""Meeting contexts: what two companies may meet about. Pluggable: an app registers its own context.

A context is a guarded model whose rows two (or more) companies share. A meeting may be requested by a
member of one side about a row they can see (`Model.objects.for_user(actor, "view")`), with the other side.

Built in: an expression of interest (licensor ↔ interested partner), a call submission (calling partner ↔
answering biotech), a data-room access request (room owner ↔ requesting partner), an agreement (its parties), a
service engagement (requester ↔ provider). Another app may add its own:

    from apps.partnering.contexts import register_context
    register_context("alliance", label=_("Alliance"), model=Alliance, sides=lambda row: [...])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.authz import VIEW


@dataclass(frozen=True)
class MeetingContext:
    key: str
    label: Promise | str
    model: type[Model]
    sides: Callable[[Any], list[int]]  # the ids of the companies that share the row
    select_related: tuple[str, ...] = ()

    def resolve(self, actor: Any, context_id: Any) -> tuple[Any, list[int]] | None:
        """The row and its company ids, or None when `actor` may not see it (or it does not exist)."""
        manager: Any = self.model._default_manager
        try:
            row = manager.for_user(actor, VIEW).select_related(*self.select_related).filter(pk=int(context_id)).first()
        except (TypeError, ValueError):
            return None
        if row is None:
            return None
        return row, [company_id for company_id in dict.fromkeys(self.sides(row)) if company_id]


_REGISTRY: dict[str, MeetingContext] = {}


def register_context(key: str, *, label: Promise | str, model: type[Model], sides: Callable[[Any], list[int]],
                     select_related: tuple[str, ...] = ()) -> None:
    _REGISTRY[key] = MeetingContext(key=key, label=label, model=model, sides=sides, select_related=select_related)


def get_context(key: str) -> MeetingContext | None:
    return _REGISTRY.get(key)


def context_keys() -> list[str]:
    return sorted(_REGISTRY)


def _register_builtins() -> None:
    from apps.agreements.models import Agreement
    from apps.catalog.models import ExpressionOfInterest
    from apps.datarooms.models import AccessRequest
    from apps.partnering.models import Submission
    from apps.providers.models import Engagement

    register_context("interest", label=_("Expression of interest"), model=ExpressionOfInterest,
                     sides=lambda row: [row.asset.owner_company_id, row.company_id], select_related=("asset",))
    register_context("submission", label=_("Call submission"), model=Submission,
                     sides=lambda row: [row.call.company_id, row.company_id], select_related=("call",))
    register_context("access_request", label=_("Data-room access request"), model=AccessRequest,
                     sides=lambda row: [row.room.owner_company_id, row.company_id], select_related=("room",))
    register_context("agreement", label=_("Agreement"), model=Agreement,
                     sides=lambda row: list(row.companies.values_list("pk", flat=True)))
    register_context("service_engagement", label=_("Service engagement"), model=Engagement,
                     sides=lambda row: [row.requester_id, row.provider_id])


_register_builtins()
