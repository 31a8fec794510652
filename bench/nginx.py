"""platform/nginx.conf, run for real on loopback: the bench (B5) and the X-Accel test put it in front of a local
app server.

The production file is rendered, not rewritten: its upstream, port and volume paths are swapped for local ones
and every other line (the internal `/_protected/` location, headers, proxy settings) is what production runs.
A substitution whose target has gone missing raises, so a changed nginx.conf cannot be measured by accident as
something else. `direct_prefix` adds one plain static location over the same files: the floor B5 compares with.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench.load import _free_port

REPO = Path(__file__).resolve().parent.parent
PRODUCTION_CONF = REPO / "platform" / "nginx.conf"


def nginx_binary() -> str | None:
    # Debian installs it in /usr/sbin, which a non-root PATH often lacks.
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _swap(text: str, old: str, new: str) -> str:
    if old not in text:
        raise RuntimeError(f"platform/nginx.conf no longer contains {old!r}; update bench/nginx.py with it")
    return text.replace(old, new)


def render(*, port: int, upstream: str, private_root: str, static_root: str, workdir: Path,
           direct_prefix: str | None = None) -> str:
    server = PRODUCTION_CONF.read_text(encoding="utf-8")
    server = _swap(server, "server web:8000;", f"server {upstream};")
    server = _swap(server, "listen 80;", f"listen 127.0.0.1:{port};")
    server = _swap(server, "alias /srv/gpc/private/;", f"alias {private_root.rstrip('/')}/;")
    server = _swap(server, "alias /srv/gpc/static/;", f"alias {static_root.rstrip('/')}/;")
    if direct_prefix:
        server = _swap(server, "    location / {",
                       f"    location {direct_prefix} {{\n        alias {private_root.rstrip('/')}/;\n    }}\n\n"
                       "    location / {")
    # The master runs as whoever starts it; as root, nginx would hand the workers to `nobody`, who cannot read
    # the private files of a checkout. The official image's nginx.conf settings that matter here are repeated.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {workdir / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}
worker_processes 1;
daemon off;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    access_log {workdir / 'access.log'};
{temp}
{server}
}}
"""


class Nginx:
    """A running nginx on 127.0.0.1:<port> in front of `upstream`; stop() ends it."""

    def __init__(self, *, upstream: str, private_root: str, static_root: str,
                 direct_prefix: str | None = None) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (make bench / make test install it with apt-get)")
        self.workdir = Path(tempfile.mkdtemp(prefix="gpc-nginx-"))
        self.port = _free_port()
        conf = self.workdir / "nginx.conf"
        conf.write_text(render(port=self.port, upstream=upstream, private_root=private_root,
                               static_root=static_root, workdir=self.workdir, direct_prefix=direct_prefix))
        self.process = subprocess.Popen([binary, "-p", str(self.workdir), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode(errors='replace')}"
                                   f"{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not listen on {self.port}: {self.error_log()}") from None
                time.sleep(0.05)

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Nginx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

