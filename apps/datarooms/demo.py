"""Demo data room for LMN-2201 (fictional): folders, documents (one HGR-classified), a CDA in both
languages, a download-level grant for Northbridge Pharma and a pending request from Rhine Valley.
Idempotent: a second run finds the room and adds nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.catalog.models import Asset
from apps.datarooms import services
from apps.datarooms.models import AccessRequest, DataRoom


def _pdf(title: str, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.setFont("Helvetica", 14)
        c.drawString(72, 760, title)
        c.setFont("Helvetica", 10)
        c.drawString(72, 740, f"LMN-2201 (PD-1 x VEGF bispecific antibody) - fictional demo data - page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _find_asset(ctx: dict[str, Any], lumina: Any) -> Any:
    assets = ctx.get("assets")
    candidates = (assets.values() if isinstance(assets, dict) else assets) or []
    asset = next((a for a in candidates if getattr(a, "code_name", None) == "LMN-2201"), None)
    return asset or Asset.objects.filter(owner_company=lumina, code_name="LMN-2201").first()


def load(ctx: dict[str, Any]) -> None:
    companies, people = ctx.get("companies") or {}, ctx.get("people") or {}
    lumina, northbridge, rhine = companies.get("lumina"), companies.get("northbridge"), companies.get("rhine")
    admin = people.get("lumina_admin")
    if not (lumina and northbridge and admin):
        return
    asset = _find_asset(ctx, lumina)
    if asset is None:
        return  # the catalog loader made no LMN-2201: nothing to open a room for
    room = DataRoom.objects.filter(asset=asset).first()
    if room is not None:
        ctx.setdefault("datarooms", {})["lmn2201"] = room
        return
    room = services.room_create(actor=admin, asset=asset, name="LMN-2201 due diligence",
                                description="Clinical, CMC and IP documents for partnering discussions.")
    services.cda_publish(
        actor=admin, room=room,
        text_en="The recipient keeps all information in this data room confidential and uses it only to evaluate "
                "a licence of LMN-2201.",
        text_zh="接收方应对本数据室中的全部信息保密，且仅可用于评估LMN-2201的许可交易。",
    )
    clinical = services.folder_create(actor=admin, room=room, name="Clinical")
    genomics = services.folder_create(actor=admin, room=room, name="Biomarkers", parent=clinical)
    cmc = services.folder_create(actor=admin, room=room, name="CMC", held_back=True)
    ip = services.folder_create(actor=admin, room=room, name="IP")
    for folder, name, pages, classes in (
        (clinical, "Phase 1 clinical study report.pdf", 12, ["clinical"]),
        (clinical, "Investigator brochure.pdf", 6, []),
        (genomics, "Tumour genomic profiling summary.pdf", 3, ["hgr"]),
        (cmc, "Drug substance stability 12 months.pdf", 4, []),
        (ip, "Patent family overview.pdf", 2, []),
    ):
        services.document_upload(actor=admin, folder=folder, f=io.BytesIO(_pdf(name[:-4], pages)), filename=name,
                                 classifications=classes)
    services.document_upload(actor=admin, folder=clinical, f=io.BytesIO(
        b"subject,arm,best_response\n001,10 mg/kg,PR\n002,10 mg/kg,SD\n003,20 mg/kg,PR\n"),
        filename="Efficacy listings.csv")
    _upload_scan_sample(admin, clinical)  # issue 18
    grant = services.grant_create(actor=admin, room=room, company=northbridge, level="view", scope="room",
                                  expires_at=timezone.now() + timedelta(days=30))
    # After the first calls, Lumina widens the grant: Northbridge is told its access was extended.
    services.grant_update(actor=admin, grant=grant, level="download", expires_at=timezone.now() + timedelta(days=60))
    rhine_admin = people.get("rhine_admin")
    if rhine and rhine_admin and not AccessRequest.objects.filter(room=room, company=rhine).exists():
        services.access_request_create(actor=rhine_admin, asset=asset,
                                       message="Rhine Valley would like to evaluate EU rights for LMN-2201.")
    ctx.setdefault("datarooms", {})["lmn2201"] = room


def _upload_scan_sample(admin: Any, folder: Any) -> None:
    """Issue 18: a site contact list nobody classified, whose scan finds personal information (fictional identity
    numbers with valid check characters). Scanned here rather than by a worker, so the demo shows the proposal,
    the held partner download and the console worklist at once."""
    from apps.datarooms.choices import ScanStatus
    from apps.datarooms.scan.detectors import id_check_character
    from apps.datarooms.scan.models import DocumentScan
    from apps.datarooms.scan.services import document_scan_run

    rows = [("患者：王芳", "11010519850312002", "13812345678"), ("患者：李明", "31010419790723001", "13998765432")]
    text = "姓名,身份证号,手机\n" + "".join(f"{name},{first17}{id_check_character(first17)},{mobile}\n"
                                          for name, first17, mobile in rows)
    document = services.document_upload(actor=admin, folder=folder, f=io.BytesIO(text.encode()),
                                        filename="Site 03 patient contacts.csv")
    for scan in DocumentScan.objects.filter(document=document, status=ScanStatus.PENDING):
        document_scan_run(scan_id=scan.pk)
