"""Names in the reader's language: a company's Chinese name for a Chinese-reading staff member, where it has one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def reads_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def company_name(company: Any) -> str:
    if company is None:
        return ""
    chinese = str(getattr(company, "name_zh", "") or "")
    if chinese and reads_chinese():
        return chinese
    return str(company.name_en)
