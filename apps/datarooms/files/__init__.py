"""Hardened file handling for data rooms: pure Python, no models.

- `gate.inspect_upload` — the one check every upload passes (size, type by content, deep checks)
- `sniff` — type detection and allow-list; `pdf` — active-content refusal; `zipcheck` — archive
  inspection before extraction; `names` — filename cleaning; `watermark` — per-download stamping
- `errors.UploadRefused` — the one error, with a stable code and a bilingual message
"""

from .errors import UploadRefused
from .gate import InspectedFile, UploadLimits, inspect_upload

__all__ = ["InspectedFile", "UploadLimits", "UploadRefused", "inspect_upload"]
