"""B5: a 1 GB non-PDF download; the serving process's memory must stay flat, and behind nginx the API's
X-Accel-Redirect must cost next to nothing against nginx serving the same file directly.

1. In process, without nginx (the embedded default): the API streams the file in 256 KB chunks; the peak RSS
   growth of the process during the download is the figure (goal <= 20 MB), measured after one small download
   through the same path (the process's first API request imports the API's code: see `_in_process`).
2. Through nginx (platform/nginx.conf rendered for loopback by bench/nginx.py, installed by `make bench`) in
   front of gunicorn with DOWNLOAD_X_ACCEL_PREFIX=/_protected/: the API checks the grant, records the
   hand-out, audits, and answers X-Accel-Redirect; nginx sends the bytes. The floor is the same file from a plain
   nginx location in the same server. Both paths are warmed, then timed alternately (ABBA), ROUNDS times each; the
   ratio is the median time direct / the median time through the API (goal >= 0.95). A 1 GB loopback copy on
   this kind of shared VM varies by +-25% from one transfer to the next, far more than the milliseconds the API
   adds: 40 rounds left the ratio's 90% interval about +-10% wide, 150 rounds narrow it to about +-4%. The run
   also prints that bootstrap interval and, measured on its own (low noise), the time the API adds before the
   first byte. The response's headers and the internal location's 404 are checked too.

Prints `B5 large-download rss-growth-mb=<x> ratio=<y> target=rss<=20,ratio>=0.95 ok|MISSED`.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SIZE = 1024 * 1024 * 1024
TARGET_MB = 20
# 1 GB each way per round, alternating: about 2 minutes (see the docstring for why so many); bench/growth.py
# runs fewer (BENCH_B5_ROUNDS): it compares the time before the first byte, which varies little.
ROUNDS = int(os.environ.get("BENCH_B5_ROUNDS", "150"))


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


def _in_process(document: Any, warmup: Any, member: Any) -> dict[str, Any]:
    """The API streaming the file itself (no nginx): peak RSS growth of this process while it does.

    A small download through the same path comes first. The first API request of a process imports the URL
    configuration and with it every app's views, serializers and schema code (about 60 MB of RSS), whatever the
    file's size: that is what a server pays once at start, not what streaming costs. In `make bench SCALE=10`
    B5 runs alone in a fresh process, so without the warm-up its download was that first request (61 MB at 1x
    and 10x alike), while in a full `make bench` B1-B4 had warmed the process before (0.0 MB)."""
    import psutil

    from bench._measure import client_for

    client = client_for(member)
    process = psutil.Process()
    cold = process.memory_info().rss
    b"".join(client.get(f"/api/v1/dataroom-documents/{warmup.pk}/download/").streaming_content)
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
    return {"status": response.status_code, "received": received, "seconds": elapsed,
            "growth_mb": (peak - baseline) / (1024 * 1024), "first_request_mb": (baseline - cold) / (1024 * 1024)}


def _fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, list[str]], int, float, float]:
    """GET through a fresh connection, reading into one reused buffer: the client costs the same per byte
    for both contenders, so what differs is the server side. Returns (status, headers, bytes, seconds to the
    response headers, seconds in all)."""
    import http.client

    buffer = memoryview(bytearray(1024 * 1024))
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first_byte = time.perf_counter() - started
        received = 0
        while True:
            n = response.readinto(buffer)
            if not n:
                break
            received += n
        seen: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            seen.setdefault(name.lower(), []).append(value)
        return response.status, seen, received, first_byte, time.perf_counter() - started
    finally:
        connection.close()


def _header_problems(headers: dict[str, list[str]], download_name: str) -> list[str]:
    """What a partner's browser must get on a download through nginx, exactly once each."""
    expected = {"content-type": "text/csv", "x-content-type-options": "nosniff",
                "cache-control": "private, no-store", "x-frame-options": "DENY"}
    problems = [f"{name}={headers.get(name)}" for name, value in expected.items() if headers.get(name) != [value]]
    problems += [f"{name}={headers.get(name)}" for name in ("x-download-id", "content-security-policy")
                 if len(headers.get(name, [])) != 1]
    disposition = headers.get("content-disposition", [])
    if len(disposition) != 1 or not disposition[0].startswith("attachment") or download_name not in disposition[0]:
        problems.append(f"content-disposition={disposition}")
    return problems


def _median_ratio(direct: list[float], api: list[float]) -> float:
    import statistics

    return statistics.median(direct) / statistics.median(api)


def _bootstrap_interval(direct: list[float], api: list[float], *, resamples: int = 2000) -> tuple[float, float]:
    """90% interval of the median ratio, resampling the rounds: how far this run's figure can be trusted."""
    import random

    rng = random.Random(5)  # a fixed seed: the same rounds give the same interval
    ratios = sorted(_median_ratio(rng.choices(direct, k=len(direct)), rng.choices(api, k=len(api)))
                    for _ in range(resamples))
    return ratios[int(resamples * 0.05)], ratios[int(resamples * 0.95)]


def _through_nginx(document: Any, version: Any, member: Any, warmup: Any) -> dict[str, Any]:
    """gunicorn answering X-Accel-Redirect behind platform/nginx.conf, against nginx serving the file itself."""
    import statistics

    from django.conf import settings
    from rest_framework_simplejwt.tokens import AccessToken

    from bench.load import _bin, _env, _free_port, _healthy, _Process, _wait_for
    from bench.nginx import Nginx

    workdir = Path(tempfile.mkdtemp(prefix="gpc-b5-"))
    port = _free_port()
    server = _Process("gunicorn", [
        _bin("gunicorn"), "-c", str(Path(settings.BASE_DIR) / "platform" / "gunicorn.conf.py"),
        "config.wsgi:application"],
        _env(DJANGO_SETTINGS_MODULE="bench.server_settings", GUNICORN_BIND=f"127.0.0.1:{port}",
             GUNICORN_WORKERS="1", GUNICORN_THREADS="2", DOWNLOAD_X_ACCEL_PREFIX="/_protected/"), workdir)
    try:
        _wait_for(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), server, "gunicorn")
        with Nginx(upstream=f"127.0.0.1:{port}", private_root=str(settings.PRIVATE_STORAGE_ROOT),
                   static_root=str(settings.STATIC_ROOT), direct_prefix="/_bench_direct/") as nginx:
            auth = {"Authorization": f"Bearer {AccessToken.for_user(member)}"}
            api_path = f"/api/v1/dataroom-documents/{document.pk}/download/"
            direct_path = f"/_bench_direct/{version.storage_name}"
            problems: list[str] = []
            internal_status, *_rest = _fetch(nginx.port, f"/_protected/{version.storage_name}", {})
            if internal_status != 404:
                problems.append(f"/_protected/ answered {internal_status} to a direct request, not 404")
            # Both paths warmed alike before timing (as the in-process benchmarks do): the app's first requests
            # import lazily loaded code and open its database connections, which no steady server pays.
            for _round in range(ROUNDS * 2):
                _fetch(nginx.port, f"/_bench_direct/{warmup.current_version.storage_name}", {})
                _fetch(nginx.port, f"/api/v1/dataroom-documents/{warmup.pk}/download/", auth)
            times: dict[str, list[float]] = {"direct": [], "api": []}
            first_bytes: dict[str, list[float]] = {"direct": [], "api": []}
            contenders = [("direct", direct_path, {}), ("api", api_path, auth)]
            for round_number in range(ROUNDS):
                # ABBA order: neither path always runs right after the other's transfer.
                for label, path, request_headers in contenders[::-1 if round_number % 2 else 1]:
                    status, headers, received, first_byte, seconds = _fetch(nginx.port, path, request_headers)
                    if status != 200 or received != SIZE:
                        problems.append(f"{label}: {status}, {received} bytes")
                    if label == "api":
                        problems += _header_problems(headers, document.name)
                    times[label].append(seconds)
                    first_bytes[label].append(first_byte)
            rows = zip(times["direct"], times["api"], first_bytes["direct"], first_bytes["api"], strict=True)
            (workdir / "b5-rounds.csv").write_text(
                "round,direct_s,api_s,direct_first_byte_s,api_first_byte_s\n"
                + "".join(f"{i},{d:.4f},{a:.4f},{df:.4f},{af:.4f}\n" for i, (d, a, df, af) in enumerate(rows)))
            return {"ratio": _median_ratio(times["direct"], times["api"]),
                    "interval": _bootstrap_interval(times["direct"], times["api"]),
                    "api_s": statistics.median(times["api"]), "direct_s": statistics.median(times["direct"]),
                    "api_first_byte_ms": statistics.median(first_bytes["api"]) * 1000,
                    "added_ms": (statistics.median(first_bytes["api"])
                                 - statistics.median(first_bytes["direct"])) * 1000,
                    "problems": sorted(set(problems)), "workdir": str(workdir)}
    finally:
        server.stop()


def run(ctx: dict[str, Any]) -> list[str]:
    from django.db import transaction

    from apps.datarooms import services, storage
    from apps.datarooms.models import Document, DocumentVersion
    from bench.b4_watermark import room_with_partner
    from bench.nginx import nginx_binary

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
        warmup = services.document_upload(actor=world["admin"], folder=folder, filename="warm-up.csv",
                                          f=io.BytesIO(b"subject,visit\n000001,V1\n"))
        local = _in_process(document, warmup, world["member"])
        proxied = _through_nginx(document, version, world["member"], warmup) if nginx_binary() else None
    finally:
        storage.delete_quietly(name)
    mb = SIZE / 1024 / 1024
    if proxied is not None:
        from bench._measure import client_for, record_growth

        member = client_for(world["member"])
        record_growth(ctx, "B5", proxied["api_first_byte_ms"],
                      "time to the first byte of a download through nginx and the API (its checks, hand-out record "
                      "and audit), median", lambda: b"".join(
                          member.get(f"/api/v1/dataroom-documents/{warmup.pk}/download/").streaming_content))
    memory_ok = local["status"] == 200 and local["received"] == SIZE and local["growth_mb"] <= TARGET_MB
    if proxied is None:
        ratio_text, ratio_ok = "not-measured(nginx is not installed)", False
    else:
        ratio_text, ratio_ok = f"{proxied['ratio']:.2f}", proxied["ratio"] >= 0.95 and not proxied["problems"]
    lines = [
        f"B5 large-download rss-growth-mb={local['growth_mb']:.1f} ratio={ratio_text} "
        f"target=rss<={TARGET_MB},ratio>=0.95 {'ok' if memory_ok and ratio_ok else 'MISSED'}",
        f"   (in process, no nginx: {local['received'] / 1024 / 1024:.0f} MB in {local['seconds']:.1f} s = "
        f"{local['received'] / 1024 / 1024 / local['seconds']:.0f} MB/s streamed in 256 KB chunks, measured after "
        f"one small download through the same path: the process's first API request, its imports, took "
        f"{local['first_request_mb']:.0f} MB)",
    ]
    if proxied is not None:
        low, high = proxied["interval"]
        lines.append(f"   (through platform/nginx.conf on loopback, medians of {ROUNDS} alternating rounds: "
                     f"X-Accel-Redirect from gunicorn {mb / proxied['api_s']:.0f} MB/s, nginx direct "
                     f"{mb / proxied['direct_s']:.0f} MB/s; "
                     f"90% interval of the ratio {low:.2f}-{high:.2f}; the API's checks, hand-out record and audit "
                     f"add {proxied['added_ms']:.1f} ms before the first byte, which alone would make the ratio "
                     f"{proxied['direct_s'] / (proxied['direct_s'] + proxied['added_ms'] / 1000):.2f} at the median "
                     f"speed; rounds in {proxied['workdir']})")
        lines += [f"   problem: {problem}" for problem in proxied["problems"]]
    return lines
