"""The demo shows the scan (issue 18): its sample contact list is found to hold personal information."""

from apps.datarooms.demo import _upload_scan_sample
from apps.datarooms.models import Document
from tests.datarooms.rooms import build_room
from tests.datarooms.scan_world import scan_of


def test_the_demo_contact_list_is_found_to_hold_personal_information(world):
    room = build_room(world, grant="download")
    _upload_scan_sample(world.admin, room.clinical)
    document = Document.objects.get(name="Site 03 patient contacts.csv")
    scan = scan_of(document)
    assert scan.proposed == ["personal_information"] and scan.findings["prc_resident_id"]["count"] == 2
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{document.pk}/download/").status_code == 403
