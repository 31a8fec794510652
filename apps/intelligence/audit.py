"""Audit action codes of deal intelligence (AuditEvent.action, namespaced "intelligence.")."""


class IntelligenceAudit:
    DEAL_CREATED = "intelligence.deal_created"
    DEAL_UPDATED = "intelligence.deal_updated"
    DEAL_DELETED = "intelligence.deal_deleted"
    DEALS_REPRICED = "intelligence.deals_repriced"
    IMPORT_PREVIEWED = "intelligence.import_previewed"
    IMPORT_CONFIRMED = "intelligence.import_confirmed"
    MARKET_FIGURE_CREATED = "intelligence.market_figure_created"
    MARKET_FIGURE_UPDATED = "intelligence.market_figure_updated"
    MARKET_FIGURE_DELETED = "intelligence.market_figure_deleted"
    PHASE_PROBABILITY_UPDATED = "intelligence.phase_probability_updated"
    CONTRIBUTION_CONSENTED = "intelligence.contribution_consented"
    CONTRIBUTION_WITHDRAWN = "intelligence.contribution_withdrawn"
    PLATFORM_DEAL_CREATED = "intelligence.platform_deal_created"
    PLATFORM_DEALS_RELEASED = "intelligence.platform_deals_released"
