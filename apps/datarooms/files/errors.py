"""The one error the file-handling layer raises.

Kept free of Django models and settings so the layer can be tested as plain Python; the API maps an
`UploadRefused` onto the project's error format (code + message in the caller's language).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# code -> (HTTP status, message). Messages are lazy: nothing is rendered until the API answers, so
# importing this module needs no configured Django.
REASONS: dict[str, tuple[int, Any]] = {
    # size and kind
    "empty_file": (400, _("The file is empty.")),
    "file_too_large": (413, _("The file is larger than the upload limit.")),
    "type_not_allowed": (
        415,
        _(
            "This kind of file is not accepted. Upload a PDF, an Office document, "
            "an image (PNG, JPEG, GIF, WebP) or a CSV/TXT file."
        ),
    ),
    "type_mismatch": (415, _("The file's content does not match its name's extension.")),
    "executable": (415, _("Executable files and scripts are not accepted.")),
    "html_refused": (415, _("HTML content is not accepted.")),
    "svg_refused": (415, _("SVG images are not accepted because they can carry scripts.")),
    "polyglot": (415, _("The file is valid as more than one type at once and is refused.")),
    "archive_not_allowed": (415, _("Archives are only accepted through the bulk import.")),
    # images
    "image_corrupt": (400, _("The image is damaged or not what its header says.")),
    "image_too_large": (400, _("The image has too many pixels.")),
    # office
    "macro_enabled": (415, _("Office files with macros are not accepted. Save the document without macros.")),
    "office_corrupt": (400, _("The Office document is damaged.")),
    "office_encrypted": (400, _("Password-protected Office documents are not accepted.")),
    # text
    "text_encoding": (400, _("The text file is not in a readable encoding (UTF-8, UTF-16 or GB18030).")),
    "csv_formula_injection": (400, _("The CSV file contains cells that would run commands in a spreadsheet.")),
    # pdf
    "pdf_javascript": (400, _("The PDF contains JavaScript.")),
    "pdf_open_action": (400, _("The PDF runs an action when it is opened.")),
    "pdf_launch": (400, _("The PDF tries to launch other programs or files.")),
    "pdf_embedded_file": (400, _("The PDF carries embedded or attached files.")),
    "pdf_additional_actions": (400, _("The PDF carries automatic actions (AA).")),
    "pdf_active_content": (400, _("The PDF carries active content (XFA forms, rich media, form submission).")),
    "pdf_encrypted": (400, _("Password-protected or encrypted PDFs are not accepted.")),
    "pdf_corrupt": (400, _("The PDF is damaged and cannot be read.")),
    "pdf_truncated": (400, _("The PDF is incomplete (truncated).")),
    # zip (bulk import)
    "zip_corrupt": (400, _("The archive is damaged.")),
    "zip_too_many_files": (400, _("The archive holds too many files.")),
    "zip_too_large": (400, _("The archive would unpack to more than the size limit.")),
    "zip_bomb": (400, _("The archive's compression ratio is suspicious (zip bomb).")),
    "zip_unsafe_path": (400, _("The archive holds a path that points outside its folder.")),
    "zip_too_deep": (400, _("The archive's folders are nested too deep.")),
    "zip_symlink": (400, _("The archive holds links or special files.")),
    "zip_nul_in_name": (400, _("The archive holds a name with a NUL character.")),
    "zip_duplicate_name": (400, _("The archive holds the same name twice.")),
    "zip_encrypted": (400, _("Password-protected archives are not accepted.")),
    "zip_overlapping_entries": (400, _("The archive's entries overlap (zip bomb).")),
    "zip_unsupported_compression": (400, _("The archive uses an unsupported compression method.")),
    "zip_entry_refused": (400, _("A file inside the archive is refused.")),
}


class UploadRefused(Exception):
    """An upload (or an entry of a bulk archive) broke a rule; nothing of it may be stored.

    `code` is stable and machine-readable (tests compare codes); `message` is lazy and bilingual;
    `detail` carries non-translated facts such as the archive entry's name.
    """

    def __init__(self, code: str, message: Any = None, *, detail: str = ""):
        if code not in REASONS:
            raise ValueError(f"unknown refusal code {code!r}")
        self.code = code
        self.status_code, default = REASONS[code]
        self.message = message if message is not None else default
        self.detail = detail
        # Never str() the lazy message here: that would need configured Django settings.
        super().__init__(code if not detail else f"{code}: {detail}")

    def __repr__(self) -> str:
        return f"UploadRefused({self.code!r}, detail={self.detail!r})"
