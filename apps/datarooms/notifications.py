"""Notification kinds of the data rooms (registered at start-up by apps.notifications.kinds.autodiscover)."""

from django.utils.translation import gettext_lazy as _

from apps.datarooms.choices import GrantLevel
from apps.notifications.kinds import Delivery, choice_labels, register

URL = "{site_url}/datarooms/{room_id}"
# The grant level in the reader's language: the context carries its code, "view" or "download".
_level_label = choice_labels(level=("level", GrantLevel))


register(
    "dataroom.access_requested",
    title=_("Access to the data room of {asset} requested"),
    body=_("{company} asks for access to the data room of {asset}."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "company", "room_id"),
    url=URL,
)
register(
    "dataroom.access_approved",
    title=_("Access to {asset} approved"),
    body=_("Your access to the data room of {asset} was approved ({level}) until {expires}."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "level", "expires", "room_id"),
    url=URL,
    prepare=_level_label,
)
register(
    "dataroom.access_extended",
    title=_("Your access to {asset} was extended"),
    body=_("Your access to the data room of {asset} was extended: {level} until {expires}."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "level", "expires", "room_id"),
    url=URL,
    prepare=_level_label,
)
register(
    "dataroom.access_denied",
    title=_("Access to {asset} declined"),
    body=_("Your request for the data room of {asset} was declined: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "reason", "room_id"),
)
register(
    "dataroom.access_revoked",
    title=_("Access to {asset} ended"),
    body=_("Your access to the data room of {asset} was revoked."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "room_id"),
    about_own_access=True,  # told to the partner, who can no longer open the room
)
register(
    "dataroom.grant_revoked_by_staff",
    title=_("Platform staff revoked {company}'s access to {asset}"),
    body=_("Platform staff revoked the access of {company} to the data room of {asset}. Reason: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "company", "reason", "room_id"),
    url=URL,
)
register(
    "dataroom.access_expired",
    title=_("Access to {asset} expired"),
    body=_("Your access to the data room of {asset} expired on {expires}. Ask the owner for a new grant if you "
           "still need it."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "expires", "room_id"),
    about_own_access=True,  # told to the partner, who can no longer open the room
)
register(
    "dataroom.access_expiring",
    title=_("Access to {asset} expires soon"),
    body=_("Your access to the data room of {asset} expires on {expires}."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "expires", "room_id"),
    url=URL,
    about_own_access=True,  # may be delivered after the expiry took effect: still the partner's news
)
register(
    "dataroom.question_asked",
    title=_("New question in the data room of {asset}"),
    body=_("A partner asked: {question}"),
    required_context=("asset", "question", "room_id"),
    url=URL,
)
register(
    "dataroom.question_answered",
    title=_("Your question about {asset} was answered"),
    body=_("Answer: {answer}"),
    required_context=("asset", "answer", "room_id"),
    url=URL,
)
register(
    "dataroom.folders_released",
    title=_("More documents of {asset} are open to you"),
    body=_("New folders of the data room of {asset} were opened to your company: {folders}."),
    required_context=("asset", "folders", "room_id"),
    url=URL,
)
register(
    "dataroom.download_limit_reached",
    title=_("Unusual download activity in the data room of {asset}"),
    body=_("{person} ({company}) reached the download limit in the data room of {asset} while opening "
           "{document}. This can be a sign of someone copying the room."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "person", "company", "document", "room_id"),
    url=URL,
)

# Issue 18: the document scan's kind (apps/datarooms/scan/notifications.py).
from apps.datarooms.scan import notifications as _scan_notifications  # noqa: E402,F401
