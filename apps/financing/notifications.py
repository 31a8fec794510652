"""Notification kinds of financing (contract: apps/notifications/kinds.py).

Every book move is told to the other side only: the biotech's contributors hear of the investor's moves, the
investor's members of the biotech's. Stage names and pass reasons travel as codes and are rendered in the
reader's language (`prepare`), so a biotech in Shanghai reads an American investor's reason in Chinese.
"""

from django.utils.translation import gettext_lazy as _

from apps.financing.models import EntryStage, PassReason
from apps.notifications.kinds import Delivery, choice_labels, register

_labels = choice_labels(stage_label=("stage", EntryStage), reason_label=("reason", PassReason))


register(
    "financing.round_submitted",
    label=_("Financing round submitted for review"),
    title=_("Round {round} submitted for review"),
    body=_("{company} submitted the round {round} for moderation."),
    required_context=("round", "company"),
    url="{site_url}/admin/financing/round/?q={round_id}",
)
register(
    "financing.round_published",
    label=_("Financing round published"),
    title=_("{round} is published"),
    body=_("Your round {round} is now visible to verified investors. {note}"),
    default_delivery=Delivery.EMAIL,
    required_context=("round",),
)
register(
    "financing.round_changes_requested",
    label=_("Changes requested on a financing round"),
    title=_("Changes requested on {round}"),
    body=_("The moderators sent {round} back for changes: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "reason"),
)
register(
    "financing.round_matched",
    label=_("New financing round matching your thesis"),
    title=_("New round matching your thesis: {round}"),
    body=_("{company} opened {round}, which matches your investment thesis. {summary}"),
    default_delivery=Delivery.DIGEST,
    required_context=("round", "company"),
)
register(
    "financing.interest_expressed",
    label=_("An investor is interested in your round"),
    title=_("{investor} is interested in {round}"),
    body=_("{investor} entered the book of {round}. {message}"),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "investor"),
)
register(
    "financing.entry_diligence",
    label=_("Admitted to a round's diligence"),
    title=_("{company} admitted you to diligence on {round}"),
    body=_("You may now read the protected core of {round} and ask for the data rooms of the assets it funds."),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "company"),
)
register(
    "financing.entry_term_sheet",
    label=_("Term sheet stage in a round"),
    title=_("{round}: term sheet stage"),
    body=_("{company} moved your company to the term sheet stage of {round}."),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "company"),
)
register(
    "financing.entry_committed",
    label=_("An investor committed to your round"),
    title=_("{investor} committed to {round}"),
    body=_("{investor} committed {amount} {currency} to {round}."),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "investor", "amount", "currency"),
)
register(
    "financing.entry_closed",
    label=_("Your investment in a round closed"),
    title=_("{round}: your investment closed"),
    body=_("{company} recorded your company's investment in {round} as closed."),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "company"),
)
register(
    "financing.entry_passed",
    label=_("An investor passed on your round"),
    title=_("{investor} passed on {round}"),
    body=_("{investor} passed on {round}. Reason: {reason_label}. {note}"),
    default_delivery=Delivery.EMAIL,
    required_context=("round", "investor", "reason"),
    prepare=_labels,
)
register(
    "financing.entry_soft_circled",
    label=_("An investor soft-circled an amount"),
    title=_("{investor} soft-circled {amount} {currency} in {round}"),
    body=_("{investor} soft-circled {amount} {currency} in {round} (stage: {stage_label})."),
    required_context=("round", "investor", "amount", "currency"),
    prepare=_labels,
)
register(
    "financing.lead_named",
    label=_("Named lead investor of a round"),
    title=_("{company} named your company lead investor of {round}"),
    body=_("{company} now shows your company publicly as the lead investor of {round}. Your amount stays "
           "private."),
    required_context=("round", "company"),
)
