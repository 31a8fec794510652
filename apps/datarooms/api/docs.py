"""What /api/docs/ says about each data-room operation (apps/core/api/schema.py `doc`), one block per viewset,
applied with `@extend_schema_view(**docs.ROOMS)`: kept out of the views so they stay about wiring."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from apps.core.api.schema import doc

from ..files.errors import REASONS
from ..files.sniff import _KINDS

# What a view or download answers: the type detected when the file was uploaded (never an archive).
FILE_RESPONSE = {
    (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=_("The file"))
    for _kind, (family, content_type, _ext, _names) in _KINDS.items() if family != "archive"
}


def _upload_refusals(*, archive: bool) -> dict[int, list[str]]:
    """The codes an upload can be refused with (apps/datarooms/files/errors.py), by status: a single file is
    refused for what it is and, an Office file being a zip, for what it holds; an import for the zip's checks."""
    whole_file = {"empty_file", "file_too_large", "type_not_allowed", "type_mismatch"}
    codes: dict[int, list[str]] = {}
    for code, (status, _message) in REASONS.items():
        # Office files are zip containers: a single upload can be refused for what a zip holds too.
        if code.startswith("zip_") or code in whole_file or not archive:
            codes.setdefault(status, []).append(code)
    return codes


def _merge(*parts: dict[int, list[str]]) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    for part in parts:
        for status, codes in part.items():
            merged.setdefault(status, []).extend(code for code in codes if code not in merged.get(status, []))
    return merged


ROOMS = {
    "list": doc(
        summary=_("List data rooms"),
        description=_(
            "The rooms you can open: those of your company's assets, those you manage by delegation, and those your "
            "company holds an active grant to. `current_cda` is the confidentiality agreement partners must accept "
            "before they see documents (null when the room has none). Filter by `asset` or `owner_company`."
        ),
    ),
    "retrieve": doc(
        summary=_("Read a data room"),
        description=_("One room you can open, with its current CDA (null when it has none)."),
    ),
    "create": doc(
        summary=_("Open a data room for an asset"),
        description=_(
            "The asset's owner company opens the one data room of an asset, optionally with a confidentiality "
            "agreement in English and Chinese that partners must accept before they see any document. Then create "
            "folders, upload documents and grant partners access."
        ),
        errors={409: ["room_exists"], 400: ["cda_incomplete"]},
    ),
    "partial_update": doc(
        summary=_("Rename or describe a data room"),
        description=_("The room's managers change its name or description."),
    ),
    "cda": doc(
        summary=_("Publish a new CDA version"),
        description=_(
            "The room's managers publish a new version of the confidentiality agreement, in English and Chinese. "
            "Every partner must accept the new version before seeing documents again."
        ),
        errors={400: ["cda_incomplete"]},
    ),
    "accept_cda": doc(
        summary=_("Accept the room's CDA"),
        description=_(
            "A partner with access accepts the room's current confidentiality agreement, naming the version it read. "
            "The person, company, version, time and IP address are recorded. Documents open right after."
        ),
        errors={403: ["not_a_partner"], 409: ["no_cda", "cda_outdated"]},
    ),
    "engagement": doc(
        summary=_("Engagement report of a data room"),
        description=_(
            "For the room's managers: per partner company and document, the views, downloads and last activity. "
            "`?export=csv` answers the same rows as a CSV file."
        ),
    ),
}

FOLDERS = {
    "list": doc(
        summary=_("List folders"),
        description=_(
            "Folders you may see: the owner's team sees all; a partner only those its grant opens (held-back "
            "folders stay hidden until released). Filter by `room` or `parent`."
        ),
    ),
    "retrieve": doc(summary=_("Read a folder"), description=_("One folder you may see, with its place in the tree.")),
    "create": doc(
        summary=_("Create a folder"),
        description=_(
            "The room's contributors create a folder at the top or inside `parent`. `held_back` folders are shown "
            "to partners only once released to their grant (staged disclosure)."
        ),
        errors={400: ["wrong_room"], 409: ["folder_exists"]},
    ),
    "partial_update": doc(
        summary=_("Rename, move or hold back a folder"),
        description=_("The room's managers rename a folder, move it, or change whether it is held back."),
        errors={409: ["folder_exists"]},
    ),
    "destroy": doc(
        summary=_("Delete an empty folder"),
        description=_("The room's managers delete a folder that holds no documents."),
        errors={409: ["folder_not_empty"]},
    ),
}

DOCUMENTS = {
    "list": doc(
        summary=_("List documents"),
        description=_(
            "Documents in folders you may see, with their current version. A partner sees documents only after "
            "accepting the room's current CDA. Filter by `room` or `folder`."
        ),
        errors={403: ["cda_required"]},
    ),
    "retrieve": doc(summary=_("Read a document's details"),
                    description=_("One document's name, folder, classifications and current version."),
                    errors={403: ["cda_required"]}),
    "create": doc(
        summary=_("Upload a document"),
        description=_(
            "The room's contributors upload a file as `multipart/form-data` into a folder. The content is checked "
            "before anything is stored: PDF, Office, images and CSV/TXT are accepted; macros, scripts, active PDF "
            "content and files that are not what their name says are refused with a precise code."
        ),
        errors=_merge(_upload_refusals(archive=False), {409: ["document_exists"]}),
    ),
    "partial_update": doc(
        summary=_("Rename, move or classify a document"),
        description=_("The room's contributors rename a document, move it to another folder of the room, or change "
                      "its classifications."),
        # A granted partner who has not accepted the room's current CDA is told so on any document it will see.
        errors={400: ["wrong_room"], 403: ["cda_required"], 409: ["document_exists"]},
    ),
    "destroy": doc(
        summary=_("Delete a document"),
        description=_("The room's managers delete a document and all its versions."),
        errors={403: ["cda_required"]},
    ),
    "versions": [
        doc(
            methods=["get"],
            summary=_("List a document's versions"),
            description=_("The owner's team lists every version, newest first. Partners only ever get the current "
                          "version, through view and download, and are refused here."),
            errors={403: ["cda_required"]},
        ),
        doc(
            methods=["post"],
            summary=_("Upload a new version"),
            description=_("The room's contributors upload a new version of the document (multipart/form-data); it "
                          "becomes current. The same checks as a first upload apply."),
            errors=_merge(_upload_refusals(archive=False), {403: ["permission_denied", "cda_required"]}),
        ),
    ],
    "download": doc(
        summary=_("Download a document"),
        description=_(
            "The current version as an attachment, in the type it was uploaded as. PDFs are watermarked with your "
            "name, company, the time and a download id (also in the `X-Download-Id` header) that leads the owner "
            "back to this download. A view-only grant answers 403 `view_only`. Every download is recorded."
        ),
        errors={403: ["no_document_access", "view_only", "view_only_pdf", "cda_required",
                      "export_clearance_required"]},
    ),
    "view": doc(
        summary=_("View a document in the browser"),
        description=_(
            "The current version shown inline, watermarked like a download: all a view-only grant gets (a view-only "
            "grant sees only PDFs). Every view is recorded with its download id."
        ),
        errors={403: ["no_document_access", "view_only_pdf", "cda_required", "export_clearance_required"]},
    ),
}

IMPORTS = {
    "list": doc(summary=_("List bulk imports"),
                description=_("Your bulk imports and their progress. Filter by `room` or `status`.")),
    "retrieve": doc(summary=_("Follow a bulk import"),
                    description=_("One import: `pending`, `running`, `done` or `failed` with the reason, and how many "
                                  "folders and documents it created.")),
    "create": doc(
        summary=_("Import a folder tree from a zip"),
        description=_(
            "The room's contributors upload a zip (multipart/form-data); it is checked as a whole (size, ratio, "
            "paths) and unpacked in the background into the room, or under `parent`. Answers 202 with the import to "
            "follow; every file inside passes the same checks as a single upload."
        ),
        errors=_merge(_upload_refusals(archive=True), {400: ["wrong_room"]}),
    ),
}

# Why a grant is refused, whether a request is approved or a grant made directly (both through _grant_make in
# apps/datarooms/services/grants.py).
GRANT_REFUSALS = ["folders_required", "wrong_room", "expiry_in_past", "expiry_out_of_range", "not_a_member",
                  "company_not_verified", "owner_needs_no_grant"]

ACCESS_REQUESTS = {
    "list": doc(summary=_("List access requests"),
                description=_("The room owner's managers see the requests for their rooms; a partner sees its "
                              "company's own. Filter by `room` or `status`.")),
    "retrieve": doc(summary=_("Read an access request"),
                    description=_("One request for your room, or one your company made.")),
    "create": doc(
        summary=_("Request access to a data room"),
        description=_(
            "A contributor of a verified partner company asks for access to an asset's data room, with a message. "
            "The room's managers are told and approve (choosing folders, level and expiry) or deny it."
        ),
        errors={403: ["not_a_partner"], 409: ["request_pending"]},
    ),
    "approve": doc(
        summary=_("Approve an access request"),
        description=_(
            "The room's managers grant the requesting company access: `view` or `download`, the folders it opens, "
            "an expiry, and optionally the only people of the company it covers. Answers the grant; the partner is "
            "told."
        ),
        errors={400: GRANT_REFUSALS, 409: ["not_pending"]},
    ),
    "deny": doc(
        summary=_("Deny an access request"),
        description=_("The room's managers refuse a pending request, with a reason the partner is told."),
        errors={400: ["reason_required"], 409: ["not_pending"]},
    ),
    "withdraw": doc(
        summary=_("Withdraw your access request"),
        description=_("The requesting company withdraws its pending request."),
        errors={409: ["not_pending"]},
    ),
}

GRANTS = {
    "list": doc(summary=_("List access grants"),
                description=_("The room owner's managers see the grants of their rooms; a partner its company's own. "
                              "Filter by `room`, `company` or `level`.")),
    "retrieve": doc(summary=_("Read an access grant"),
                    description=_("One grant: company, level, folders, expiry, and whether it is revoked.")),
    "create": doc(
        summary=_("Grant a company access"),
        description=_(
            "The room's managers grant a verified company access without a request: level, folders, expiry, and "
            "optionally the people it covers. The partner is told."
        ),
        errors={400: GRANT_REFUSALS},
    ),
    "partial_update": doc(
        summary=_("Change a grant"),
        description=_("The room's managers change the level, folders or expiry of a grant; the partner is told. "
                      "A revoked grant cannot change."),
        errors={400: ["expiry_in_past", "expiry_out_of_range", "wrong_room"], 409: ["grant_revoked"]},
    ),
    "revoke": doc(
        summary=_("Revoke a grant"),
        description=_("Ends the grant now: the partner's very next request is refused, and the partner is told."),
        errors={409: ["grant_revoked"]},
    ),
    "release_folders": doc(
        summary=_("Release held-back folders to a partner"),
        description=_("Staged disclosure: the room's managers open held-back folders to this grant."),
        errors={400: ["wrong_room"], 409: ["grant_revoked"]},
    ),
}

QUESTIONS = {
    "list": doc(summary=_("List diligence questions"),
                description=_("Each partner sees its own questions and the published FAQ, never another partner's; "
                              "the owner's team sees all. Filter by `room`, `document` or `is_faq`.")),
    "retrieve": doc(summary=_("Read a question"), description=_("One question you asked, answered, or that is in "
                                                                "the FAQ.")),
    "create": doc(
        summary=_("Ask a question"),
        description=_("A partner with access (and the CDA accepted) asks the owner a question about the room, "
                      "optionally about one document. The room's managers are told."),
        errors={403: ["not_a_partner", "cda_required"], 400: ["wrong_room"]},
    ),
    "answer": doc(
        summary=_("Answer a question"),
        description=_("The owner's team answers; the partner who asked is told."),
        errors={400: ["answer_required"]},
    ),
    "publish": doc(
        summary=_("Publish an answer as FAQ"),
        description=_("Publishes (or withdraws) an answered question as a FAQ entry every partner of the room sees, "
                      "without the name of who asked."),
        errors={409: ["not_answered"]},
    ),
}

DOWNLOADS = {
    "list": doc(summary=_("List downloads and views"),
                description=_("For the room's managers: who took which document, when, as what, with which download "
                              "id. Filter by `room`, `document`, `company` or `kind`.")),
    "retrieve": doc(summary=_("Trace a download id"),
                    description=_("The download id printed on every watermarked page leads here: the person, company, "
                                  "document version and time.")),
}
