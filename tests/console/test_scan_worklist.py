"""Issue 18 in the console: documents whose scan and declaration disagree are a worklist for compliance officers,
in English and Chinese; the owner's confirmation takes a row off, an override stays with its reason."""

import pytest
from django.urls import reverse

from apps.datarooms.scan import services as scan_services
from tests.datarooms.rooms import build_room
from tests.datarooms.scan_world import scan_of, upload_patient_list

pytestmark = pytest.mark.django_db
QUEUE = "datarooms.scan_disagreements"


def _queue(client, key=QUEUE):
    return next((q for q in client.get(reverse("admin:index")).context["queues"] if q.key == key), None)


def test_an_undeclared_finding_is_on_the_worklist_until_the_owner_confirms(console, compliance_officer, world):
    document = upload_patient_list(world)
    client = console(compliance_officer)
    queue = _queue(client)
    # The standard room's genome panel is declared HGR but holds no genetic data in its text: a disagreement too.
    assert queue.count == 2
    page = client.get(queue.url)
    assert page.status_code == 200
    rows = {row.document.pk: row for row in page.context["rows"]}
    assert [str(label) for label in rows[document.pk].found_labels] == ["Personal information"]
    assert rows[document.pk].declared_labels == []
    assert "prc_resident_id 2" in rows[document.pk].counts
    html = page.content.decode()
    assert f'data-document="{document.pk}"' in html and "patients.csv" in html
    scan_services.scan_confirm(actor=world.admin, scan=scan_of(document))
    assert _queue(client).count == 1
    assert document.pk not in {row.document.pk for row in client.get(queue.url).context["rows"]}


def test_an_override_stays_on_the_worklist_with_its_reason(console, compliance_officer, world):
    document = upload_patient_list(world)
    scan_services.scan_override(actor=world.admin, scan=scan_of(document), classifications=[],
                                reason="Synthetic identities for the assay validation.")
    page = console(compliance_officer).get(reverse("admin:console_scan_disagreements"))
    row = next(row for row in page.context["rows"] if row.document.pk == document.pk)
    assert row.scan.reason == "Synthetic identities for the assay validation."
    assert "Overridden: Synthetic identities for the assay validation." in page.content.decode()


def test_the_worklist_speaks_chinese(console, compliance_officer, world):
    upload_patient_list(world)
    compliance_officer.preferred_language = "zh-hans"
    compliance_officer.save(update_fields=["preferred_language"])
    page = console(compliance_officer).get(reverse("admin:console_scan_disagreements"))
    html = page.content.decode()
    assert "扫描与申报不一致的文件" in html and "个人信息" in html and "尚未确认" in html


def test_a_moderator_has_neither_the_queue_nor_the_page(console, moderator, world):
    build_room(world)
    client = console(moderator)
    assert _queue(client) is None
    assert client.get(reverse("admin:console_scan_disagreements")).status_code == 403
