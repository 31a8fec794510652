"""Audit action codes of deal intelligence (stored in AuditEvent.action, area "intelligence"), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

DEAL_CREATED = action("intelligence.deal_created", _("Deal record added"))
DEAL_UPDATED = action("intelligence.deal_updated", _("Deal record corrected"))
DEAL_DELETED = action("intelligence.deal_deleted", _("Deal record removed"))
DEALS_REPRICED = action("intelligence.deals_repriced", _("Deal records repriced in USD"))
IMPORT_PREVIEWED = action("intelligence.import_previewed", _("Deal import previewed"))
IMPORT_CONFIRMED = action("intelligence.import_confirmed", _("Deal import confirmed"))
MARKET_FIGURE_CREATED = action("intelligence.market_figure_created", _("Market figure added"))
MARKET_FIGURE_UPDATED = action("intelligence.market_figure_updated", _("Market figure corrected"))
MARKET_FIGURE_DELETED = action("intelligence.market_figure_deleted", _("Market figure removed"))
PHASE_PROBABILITY_UPDATED = action("intelligence.phase_probability_updated",
                                   _("Phase-transition probability changed"))
CONTRIBUTION_CONSENTED = action("intelligence.contribution_consented",
                                _("Consent to contribute a deal to statistics given"))
CONTRIBUTION_WITHDRAWN = action("intelligence.contribution_withdrawn",
                                _("Consent to contribute a deal to statistics withdrawn"))
PLATFORM_DEAL_CREATED = action("intelligence.platform_deal_created", _("Platform deal contributed"))
PLATFORM_DEALS_RELEASED = action("intelligence.platform_deals_released",
                                 _("Platform deals released to statistics"))
