"""B4: a watermarked download of a 200-page PDF through the API, against stamping the same file with
pikepdf in-process (same stamp, same temp-file output). Also the output's size overhead.

Prints `B4 watermark ratio=<endpoint pages/s / raw pages/s> size-overhead=<bytes> target=...`;
goals: ratio >= 0.8, overhead <= 100 KB.
"""

from __future__ import annotations

import io
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

RATIO_TARGET = 0.8
OVERHEAD_TARGET = 100 * 1024
PAGES = 200


def _pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.setPageSize(A4 if i % 2 else letter)
        c.setFont("Helvetica", 10)
        for line in range(40):
            c.drawString(60, 780 - line * 18, f"Clinical study report LMN-2201, page {i + 1}, line {line + 1}: "
                                              "tumour response per RECIST 1.1 by cohort and dose level.")
        c.showPage()
    c.save()
    return buf.getvalue()


def room_with_partner(tag: str) -> dict[str, Any]:
    """A fresh licensor, partner, asset, room and download-level grant (unique names: bench data stays)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from apps.catalog.models import Asset, AssetStatus
    from apps.companies.models import Role
    from apps.datarooms import services
    from tests.factories import CompanyFactory, UserFactory, add_member

    suffix = uuid.uuid4().hex[:8]
    # Explicit group names: factory sequences restart with every process, the bench database does not.
    licensor = CompanyFactory(name_en=f"Bench Lumina {suffix}", country="CN",
                              group=Group.objects.create(name=f"company:bench:{suffix}:l"))
    partner = CompanyFactory(name_en=f"Bench Northbridge {suffix}", country="US", kind="pharma",
                             group=Group.objects.create(name=f"company:bench:{suffix}:p"))
    admin = UserFactory(email=f"admin-{suffix}@bench.test", full_name="Bench Admin")
    member = UserFactory(email=f"member-{suffix}@bench.test", full_name="Bench Partner 张伟")
    add_member(licensor, admin, Role.ADMIN)
    add_member(partner, member, Role.MEMBER)
    asset = Asset.objects.create(owner_company=licensor, code_name=f"{tag}-{suffix}", modality="adc",
                                 stage="phase_1", status=AssetStatus.PUBLISHED, published_at=timezone.now())
    room = services.room_create(actor=admin, asset=asset, name=f"{tag} room")
    folder = services.folder_create(actor=admin, room=room, name="Clinical")
    services.grant_create(actor=admin, room=room, company=partner, level="download", scope="room",
                          expires_at=timezone.now() + timedelta(days=1))
    return {"admin": admin, "member": member, "room": room, "folder": folder}


def run(ctx: dict[str, Any]) -> list[str]:
    from apps.datarooms import services, storage
    from apps.datarooms.files.watermark import Stamp, WatermarkedPdf
    from bench._measure import client_for

    world = room_with_partner("B4")
    data = _pdf(PAGES)
    document = services.document_upload(actor=world["admin"], folder=world["folder"], f=io.BytesIO(data),
                                        filename="csr-200-pages.pdf")
    client = client_for(world["member"])
    path = f"/api/v1/dataroom-documents/{document.pk}/download/"
    stored = document.current_version.storage_name

    def endpoint() -> int:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        return size

    def raw() -> int:
        stamp = Stamp(person="Bench Partner 张伟", email="member@bench.test", company="Bench Northbridge",
                      download_id="0123456789abcdef", at=datetime.now(UTC))
        with storage.local_copy(stored) as src:
            stamped = WatermarkedPdf(src, stamp)
        size = 0
        for chunk in stamped:
            size += len(chunk)
        return size

    for _ in range(3):
        endpoint()
        raw()
    samples: dict[str, list[float]] = {"endpoint": [], "raw": []}
    out_size = 0
    for _ in range(15):
        for name, action in (("endpoint", endpoint), ("raw", raw)):
            started = time.perf_counter()
            size = action()
            samples[name].append(time.perf_counter() - started)
            if name == "endpoint":
                out_size = size
    endpoint_pps = PAGES / statistics.median(samples["endpoint"])
    raw_pps = PAGES / statistics.median(samples["raw"])
    ratio = endpoint_pps / raw_pps
    overhead = out_size - len(data)
    ok = ratio >= RATIO_TARGET and overhead <= OVERHEAD_TARGET
    return [
        f"B4 watermark ratio={ratio:.2f} size-overhead={overhead} target=ratio>={RATIO_TARGET},"
        f"overhead<={OVERHEAD_TARGET} {'ok' if ok else 'MISSED'}",
        f"   (endpoint {endpoint_pps:.0f} pages/s, raw pikepdf {raw_pps:.0f} pages/s, input {len(data)} bytes, "
        f"output {out_size} bytes)",
    ]
