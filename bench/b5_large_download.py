"""B5: a 1 GB non-PDF download through the API; the serving process's memory must stay flat.

Prints `B5 large-download rss-growth-mb=<peak RSS growth> target=<=20 ...`. Where nginx is in front
(DOWNLOAD_X_ACCEL_PREFIX set and nginx running) the app only answers X-Accel-Redirect; that comparison
(`ratio=`) needs the compose stack and is reported as not measured here.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

SIZE = 1024 * 1024 * 1024
TARGET_MB = 20


def _write_big_csv(path: str) -> str:
    import hashlib

    line = b"subject,visit,parameter,value,unit\n" + b"".join(
        f"{i:06d},V{i % 12},ALT,{i % 97}.{i % 10},U/L\n".encode() for i in range(2000))
    digest = hashlib.sha256()
    written = 0
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        while written < SIZE:
            chunk = line[: SIZE - written]
            fh.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    return digest.hexdigest()


def run(ctx: dict[str, Any]) -> list[str]:
    import psutil
    from django.db import transaction

    from apps.datarooms import storage
    from apps.datarooms.models import Document, DocumentVersion
    from bench._measure import client_for
    from bench.b4_watermark import room_with_partner

    world = room_with_partner("B5")
    room, folder = world["room"], world["folder"]
    name = storage.new_storage_name(room.public_id)
    path = storage.local_path(name)
    if path is None:
        return ["B5 large-download not-measured (private storage is not local disk) MISSED"]
    # The bytes are written straight to storage (the upload path is measured elsewhere); B5 is the download.
    sha = _write_big_csv(path)
    try:
        with transaction.atomic():
            document = Document.objects.create(room=room, folder=folder, name="lab-values-1gb.csv",
                                               created_by=world["admin"])
            version = DocumentVersion.objects.create(document=document, number=1, storage_name=name,
                                                     original_name="lab-values-1gb.csv", kind="csv",
                                                     content_type="text/csv", size=SIZE, sha256=sha,
                                                     uploaded_by=world["admin"])
            Document.objects.filter(pk=document.pk).update(current_version=version)
        client = client_for(world["member"])
        process = psutil.Process()
        baseline = process.memory_info().rss
        peak = baseline
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, process.memory_info().rss)
                time.sleep(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        response = client.get(f"/api/v1/dataroom-documents/{document.pk}/download/")
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        growth_mb = (peak - baseline) / (1024 * 1024)
        ok = response.status_code == 200 and received == SIZE and growth_mb <= TARGET_MB
        return [
            f"B5 large-download rss-growth-mb={growth_mb:.1f} ratio=not-measured(no nginx in this run) "
            f"target=<={TARGET_MB} {'ok' if ok else 'MISSED'}",
            f"   ({received / 1024 / 1024:.0f} MB in {elapsed:.1f} s = {received / 1024 / 1024 / elapsed:.0f} MB/s "
            f"through the API, streamed in 256 KB chunks)",
        ]
    finally:
        storage.delete_quietly(name)
