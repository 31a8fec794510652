"""The registry of notification kinds: what each event is called and how it reads, in both languages.

Adding a kind is one step. In `apps/<your app>/notifications.py` (imported automatically at start-up):

    from django.utils.translation import gettext_lazy as _
    from apps.notifications.kinds import Delivery, register

    register(
        "dataroom.access_approved",
        label=_("Data-room access approved"),
        title=_("Access to {asset} approved"),
        body=_("{company} approved your access to the data room of {asset} until {expires}."),
        default_delivery=Delivery.EMAIL,          # in_app (default) | email | digest
        required_context=("asset", "company", "expires"),
        url="{site_url}/datarooms/{room_id}",     # optional link, formatted like the title
    )

then call `notify(kind="dataroom.access_approved", recipients=..., target=room, context={...})` inside
your service's transaction, and run makemessages for your app so the title and body get their Chinese.

How templates are filled:
* `title`, `body` and `url` are `str.format` templates over `context` (JSON values only). A missing key
  renders as an empty string, never as an error in the worker.
* For Chinese readers a key with a `_zh` twin uses the twin: context {"company": "Lumina",
  "company_zh": "流明"} renders "{company}" as "流明" in zh-hans.
* `prepare(context, language)` may return extra keys per language (e.g. a role's translated label).
* E-mails use `email_template` (default "notifications/email/default"): the files
  `<email_template>.<lang>.txt` and `<email_template>.<lang>.html` under any app's templates/ folder,
  with `title`, `body`, `url`, `recipient_name` and `context` (as the reader's language sees it).
* `in_app=False` makes an e-mail-only kind (addresses without an account, e.g. invitations).
* `sensitive_context=("token",)` blanks those keys on the outbox row once the event is delivered.
* `skip_actor=False` also tells the person who acted (by default nobody is told about their own act).
* `about_own_access=True`: the event tells recipients about their own access to the target (a grant revoked
  or ending). They are told although they may no longer see the target; every other kind reaches only
  the recipients who may see the target (its model's `for_user(person, "view")`) when delivery runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants to hear about one kind of event."""

    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("In the app and by e-mail at once")
    DIGEST = "digest", _("In the app and in a daily e-mail digest")


@dataclass(frozen=True)
class Kind:
    code: str
    title: Promise | str
    body: Promise | str
    label: Promise | str = ""  # the kind's name in preference lists, e.g. _("Company verified")
    default_delivery: str = Delivery.IN_APP
    email_template: str = "notifications/email/default"
    in_app: bool = True
    required_context: tuple[str, ...] = ()
    url: str = ""
    # Context keys that must not outlive delivery (one-time tokens): blanked on the outbox row once delivered.
    sensitive_context: tuple[str, ...] = ()
    # A person is not told about their own act.
    skip_actor: bool = True
    # The event is about the recipient's own access to the target (revoked, expiring): the recipient is told
    # although the target's rule may no longer let them see it. Every other kind reaches only people who may
    # see the target when delivery runs.
    about_own_access: bool = False
    prepare: Callable[[dict[str, Any], str], dict[str, Any]] | None = field(default=None, compare=False)

    def values(self, context: dict[str, Any], language: str) -> dict[str, Any]:
        """The context as a `language` reader sees it (`_zh` twins, `prepare`). Call inside translation.override."""
        values = _Defaulting(context_for_language(context, language))
        if self.prepare is not None:
            values.update(self.prepare(dict(values), language))
        return values

    def render(self, context: dict[str, Any], language: str) -> dict[str, str]:
        """Title, body and url in `language`. Call inside `translation.override(language)`."""
        values = self.values(context, language)
        return {
            "title": str(self.title).format_map(values)[:300],
            "body": str(self.body).format_map(values),
            "url": self.url.format_map(values)[:500] if self.url else "",
        }


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return ""


def context_for_language(context: dict[str, Any], language: str) -> dict[str, Any]:
    values = dict(context)
    if language.startswith("zh"):
        for key, value in context.items():
            if key.endswith("_zh") and value not in (None, ""):
                values[key[: -len("_zh")]] = value
    return values


# --- what every app fills its texts with -------------------------------------------------------------------------

Prepare = Callable[[dict[str, Any], str], dict[str, Any]]


def company_context(key: str, company: Any) -> dict[str, Any]:
    """A company's name under `key` for a notification text, with its `_zh` twin (the English name when the
    company has no Chinese one)."""
    return {key: company.name_en, f"{key}_zh": company.name_zh or company.name_en}


def choice_labels(*, unknown_as_code: tuple[str, ...] = (), **labels: tuple[str, type[models.Choices]]) -> Prepare:
    """A `prepare` hook: for each `label=(code_key, choices)`, the label of the context's code under `code_key`, in
    the reader's language, under `label`. Codes travel in the context and the words are chosen per reader (prepare
    runs inside translation.override). A code the choices do not know leaves `label` unset, so it reads empty; the
    labels named in `unknown_as_code` read such a code (when not empty) as it is."""

    def prepare(context: dict[str, Any], language: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for label, (code_key, choices) in labels.items():
            code = context.get(code_key)
            if code in choices.values:
                values[label] = str(choices(code).label)
            elif code and label in unknown_as_code:
                values[label] = code
        return values

    return prepare


_REGISTRY: dict[str, Kind] = {}


def register(code: str, **options: Any) -> Kind:
    """Register a kind. Registering the same code twice with a different definition is a start-up error."""
    kind = Kind(code=code, **options)
    if kind.default_delivery not in Delivery.values:
        raise ImproperlyConfigured(f"notification kind {code}: unknown default_delivery {kind.default_delivery!r}")
    existing = _REGISTRY.get(code)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(f"notification kind {code} is registered twice with different definitions")
    _REGISTRY[code] = kind
    return kind


def get_kind(code: str) -> Kind:
    """The registered kind; ValueError for an unknown code (a programming error at the call site)."""
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}; register it in apps/<app>/notifications.py") from None


def is_registered(code: str) -> bool:
    return code in _REGISTRY


def all_kinds() -> list[Kind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.code)


def personal_kinds() -> list[Kind]:
    """Kinds a person can set a preference for (e-mail-only kinds go to bare addresses)."""
    return [kind for kind in all_kinds() if kind.in_app]


def autodiscover() -> None:
    """Import `apps.<app>.notifications` for every GPC app that has one (called from AppConfig.ready)."""
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        module_name = f"{config.name}.notifications"
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name)
