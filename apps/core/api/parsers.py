"""Request parsers that refuse what no field can store, before any serializer or database sees it.

* A NUL character in any string (value or key): PostgreSQL text cannot hold one (DataError, a 500), and no
  person types one. 400, naming the field (`terms.governance.note`, `partners.0`).
* An integer beyond 64 bits in a JSON body: no column holds it (SQLite raises OverflowError, a 500; PostgreSQL
  a cast error). 400, naming the field, on every database.

One pass over the parsed body, for every API view (settings' DEFAULT_PARSER_CLASSES; upload views name the
multipart and form parsers below).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

MIN_INT, MAX_INT = -(2**63), 2**63 - 1


def refuse_unstorable(data: Any) -> None:
    """Raise a 400 naming every field whose value holds a NUL character or an integer beyond 64 bits."""
    errors: dict[str, list[Any]] = {}
    _walk(data, "", errors)
    if errors:
        raise ValidationError(errors)


def _name(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _walk(value: Any, path: str, errors: dict[str, list[Any]]) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            errors[path or "non_field_errors"] = [_("NUL characters are not allowed.")]
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            errors[path or "non_field_errors"] = [_("This number is out of range.")]
    elif isinstance(value, dict) or hasattr(value, "lists"):
        # A form's QueryDict: every value of each key, named by the key alone when it is given once.
        items = ((k, v[0] if len(v) == 1 else v) for k, v in value.lists()) if hasattr(value, "lists") \
            else value.items()
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                errors[_name(path, key.replace("\x00", "\\u0000"))] = [_("NUL characters are not allowed.")]
                continue
            _walk(item, _name(path, key), errors)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, _name(path, index) if not hasattr(item, "read") else path, errors)


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        refuse_unstorable(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        refuse_unstorable(result.data)
        return result


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        refuse_unstorable(data)
        return data
