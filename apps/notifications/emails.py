"""E-mails through Django's e-mail backend: plain text plus HTML, in the recipient's language.

Templates are looked up as `<name>.<language>.txt` / `.html` (language "en" or "zh-hans"), falling back
to English. Every message carries `X-GPC-Event` (and `X-GPC-Notification` for people with an account)
so support can trace an e-mail to its outbox row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import select_template
from django.utils import translation

LANGUAGES = ("en", "zh-hans")


def normalize_language(language: str | None) -> str:
    language = (language or "").lower()
    if language.startswith("zh"):
        return "zh-hans"
    return "en"


def render_email(template: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """(plain text, HTML) of `template` in `language`."""
    language = normalize_language(language)
    with translation.override(language):
        text = select_template([f"{template}.{language}.txt", f"{template}.en.txt"]).render(context)
        html = select_template([f"{template}.{language}.html", f"{template}.en.html"]).render(context)
    return text, html


def build_email(
    *,
    template: str,
    language: str,
    subject: str,
    to: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    connection: Any = None,
) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, "language": normalize_language(language), **context}
    text, html = render_email(template, language, context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],  # no newlines in a subject
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
