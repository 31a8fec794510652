"""The data-room world every data-room test speaks in, built on tests/conftest.py's personas.

Shanghai Lumina (licensor, CN) owns asset LMN-2201 and its data room:
  Clinical/            csr.pdf (3 pages), listings.csv
  Clinical/Genomics/   genome-panel.pdf (HGR: export-controlled)
  CMC/                 held back (staged disclosure), stability.pdf
Northbridge Pharma (partner, US; persona other_member) may hold a grant, and Rheinwald (a second partner,
DE) exists for bidder-isolation tests.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.catalog.models import Asset, AssetStatus
from apps.companies.models import CompanyKind, Role
from apps.datarooms import services
from apps.datarooms.models import AccessGrant, DataRoom, Document, Folder
from tests.datarooms.hostile import good_pdf
from tests.factories import CompanyFactory, UserFactory, add_member


@dataclass
class Room:
    room: DataRoom
    asset: Asset
    clinical: Folder
    genomics: Folder
    cmc: Folder
    csr: Document
    listings: Document
    genome: Document
    stability: Document
    grant: AccessGrant | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def make_asset(world: Any, code_name: str = "LMN-2201") -> Asset:
    return Asset.objects.create(owner_company=world.licensor, code_name=code_name, modality="bispecific_antibody",
                                stage="phase_1", status=AssetStatus.PUBLISHED, published_at=timezone.now(),
                                summary_en="PD-1xVEGF bispecific antibody")


def upload(actor: Any, folder: Folder, data: bytes, filename: str, **kwargs: Any) -> Document:
    return services.document_upload(actor=actor, folder=folder, f=io.BytesIO(data), filename=filename, **kwargs)


def build_room(world: Any, *, grant: str | None = None, cda: bool = False, scope: str = "room",
               expires_in: timedelta = timedelta(days=30)) -> Room:
    """The standard room; `grant` = "view" | "download" gives Northbridge a grant of that level."""
    if "room" in world.extra:
        return world.extra["room"]
    admin = world.admin
    asset = make_asset(world)
    room = services.room_create(actor=admin, asset=asset, name="LMN-2201 diligence")
    clinical = services.folder_create(actor=admin, room=room, name="Clinical")
    genomics = services.folder_create(actor=admin, room=room, name="Genomics", parent=clinical)
    cmc = services.folder_create(actor=admin, room=room, name="CMC", held_back=True)
    csr = upload(admin, clinical, good_pdf(3, "Clinical study report LMN-2201"), "csr.pdf",
                 classifications=["clinical"])
    listings = upload(admin, clinical, b"patient,arm,response\n001,A,-12.5\n002,B,3.1\n", "listings.csv")
    genome = upload(admin, genomics, good_pdf(1, "Genome panel"), "genome-panel.pdf", classifications=["hgr"])
    stability = upload(admin, cmc, good_pdf(1, "Stability 6 months"), "stability.pdf")
    if cda:
        services.cda_publish(actor=admin, room=room, text_en="Keep it confidential.", text_zh="保密。")
        room.refresh_from_db()
    made = Room(room=room, asset=asset, clinical=clinical, genomics=genomics, cmc=cmc, csr=csr, listings=listings,
                genome=genome, stability=stability)
    if grant:
        made.grant = services.grant_create(
            actor=admin, room=room, company=world.partner, level=grant, scope=scope,
            folders=[clinical] if scope == "folders" else [], expires_at=timezone.now() + expires_in,
        )
    world.extra["room"] = made
    return made


def second_partner(world: Any) -> Any:
    """Rheinwald Therapeutics (DE), verified, with one member: a rival bidder."""
    if "rival" not in world.extra:
        company = CompanyFactory(name_en="Rheinwald Therapeutics", name_zh="莱茵瓦尔德", kind=CompanyKind.PHARMA,
                                 country="DE")
        user = UserFactory(email="member@rheinwald.test", full_name="Rita Rheinwald")
        add_member(company, user, Role.MEMBER)
        world.extra["rival"] = (company, user)
    return world.extra["rival"]
