"""The partner journey for `bench/load.py` (locust, headless). Run on its own:

    GPC_LOAD_CONFIG=/path/to/load-config.json locust -f bench/locustfile.py --headless -u 50 -r 10 -t 3m \
        --host http://127.0.0.1:8000

The config file (written by bench/load.py after seeding) names the partner accounts and passwords, the data
room they hold a download grant to (and its CDA version), its documents, the asset whose room they ask to
enter, and search terms. Each simulated user signs in with its own account (its own verified partner company)
and then, with 1-3 s of think time between steps: browses the catalog (a page, the next page, one listing),
searches, requests data-room access (and withdraws the request, so the next round can ask again), opens the
room's document list and views or downloads a watermarked PDF, asks a diligence question and reads its inbox.
Every response must have the status the API documents for that step, or it counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any
from urllib.parse import urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["GPC_LOAD_CONFIG"], encoding="utf-8") as fh:
    CONFIG: dict[str, Any] = json.load(fh)

_accounts = itertools.count()


class Partner(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email, self.password = CONFIG["accounts"][next(_accounts) % len(CONFIG["accounts"])]
        self.headers: dict[str, str] = {}
        self.sign_in()
        room, version = CONFIG["room"], CONFIG["cda_version"]
        self.expect("POST", f"/api/v1/datarooms/{room}/accept-cda/", (201, 200), name="/datarooms/[id]/accept-cda/",
                    json={"version": version})

    # --- helpers -----------------------------------------------------------------------------------------------

    def sign_in(self) -> None:
        with self.client.post("/api/v1/auth/token/", json={"email": self.email, "password": self.password},
                              name="/auth/token/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"sign-in {response.status_code}: {(response.text or '')[:200]}")
                return
            self.headers = {"Authorization": f"Bearer {response.json()['access']}"}

    def expect(self, method: str, path: str, statuses: tuple[int, ...], *, name: str, **kwargs: Any) -> Any:
        """One request; any other status is a failure. A 401 (token expired in a long run) signs in again."""
        with self.client.request(method, path, headers=self.headers, name=name, catch_response=True,
                                 **kwargs) as response:
            if response.status_code == 401:
                self.sign_in()
            if response.status_code not in statuses:
                response.failure(f"{method} {name} {response.status_code}: {(response.text or '')[:200]}")
                return None
            return response

    # --- the journey ---------------------------------------------------------------------------------------------

    @task(4)
    def browse_catalog(self) -> None:
        page = self.expect("GET", "/api/v1/assets/?page_size=20", (200,), name="/assets/ (page 1)")
        if page is None:
            return
        body = page.json()
        if body.get("next"):
            self.expect("GET", body["next"], (200,), name="/assets/ (next page)")
        results = body.get("results") or []
        if results:
            asset = random.choice(results)
            self.expect("GET", f"/api/v1/assets/{asset['id']}/", (200,), name="/assets/[id]/")

    @task(2)
    def search(self) -> None:
        term = random.choice(CONFIG["queries"])
        self.expect("GET", "/api/v1/assets/?" + urlencode({"q": term, "page_size": 20}), (200,), name="/assets/?q=")

    @task(1)
    def request_access(self) -> None:
        created = self.expect("POST", "/api/v1/dataroom-access-requests/", (201,), name="/dataroom-access-requests/",
                              json={"asset": CONFIG["request_asset"], "message": "We would like to evaluate this "
                                    "asset for a licence in our territories."})
        if created is not None:
            self.expect("POST", f"/api/v1/dataroom-access-requests/{created.json()['id']}/withdraw/", (200,),
                        name="/dataroom-access-requests/[id]/withdraw/")

    @task(3)
    def open_document(self) -> None:
        listing = self.expect("GET", f"/api/v1/dataroom-documents/?room={CONFIG['room']}", (200,),
                              name="/dataroom-documents/?room=")
        if listing is None:
            return
        body = listing.json()
        documents = body.get("results", body) if isinstance(body, dict) else body
        pdfs = [d["id"] for d in documents if d["id"] in CONFIG["documents"]] or CONFIG["documents"]
        kind = random.choice(("view", "download"))
        response = self.expect("GET", f"/api/v1/dataroom-documents/{random.choice(pdfs)}/{kind}/", (200,),
                               name=f"/dataroom-documents/[id]/{kind}/")
        if response is not None and not (response.content or b"").startswith(b"%PDF"):
            response.failure("not a PDF")

    @task(1)
    def ask_question(self) -> None:
        self.expect("POST", "/api/v1/dataroom-questions/", (201,), name="/dataroom-questions/",
                    json={"room": CONFIG["room"], "document": random.choice(CONFIG["documents"]),
                          "text": "Could you share the dose-escalation listings by cohort?"})

    @task(1)
    def inbox(self) -> None:
        self.expect("GET", "/api/v1/notifications/", (200,), name="/notifications/")
