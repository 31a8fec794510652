"""Documents whose scan finds something, in the standard room (tests/datarooms/rooms.py): a patient list with a
valid PRC resident identity number and a mainland mobile number, uploaded by Lumina's admin into Clinical/."""

from __future__ import annotations

import random
from typing import Any

from apps.datarooms.models import Document
from apps.datarooms.scan.models import DocumentScan
from tests.datarooms import scan_corpus as corpus
from tests.datarooms.rooms import build_room, upload


def patient_list() -> bytes:
    rng = random.Random(18)
    rows = ["姓名,身份证号,手机", f"患者：张伟,{corpus.prc_id(rng)},{corpus.mobile(rng)}",
            f"患者：李娜,{corpus.prc_id(rng)},{corpus.mobile(rng)}"]
    return ("\n".join(rows) + "\n").encode()


def upload_patient_list(world: Any, *, name: str = "patients.csv", grant: str = "download") -> Document:
    room = build_room(world, grant=grant)
    return upload(world.admin, room.clinical, patient_list(), name)


def scan_of(document: Document) -> DocumentScan:
    document.refresh_from_db()
    return DocumentScan.objects.get(version_id=document.current_version_id)
