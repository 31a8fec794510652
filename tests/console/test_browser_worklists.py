"""Issue 17 in a real Chromium, in English and in Chinese: staff edits are audited and readable, queues are worklists
that drain, bulk actions say plainly what they did, grants are searchable by state, third-party pages stay out of
the way, and the lists fit a 1366-pixel screen. Screenshots land in artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.catalog.models import AssetStatus
from apps.console.audit_actions import OBJECT_CHANGED
from apps.datarooms.models import AccessGrant, Document, ExportClearance, Folder
from tests.conftest import build_world
from tests.console.conftest import COMPLIANCE_OFFICER, MODERATOR, make_asset, make_room, staff_member
from tests.console.test_browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = {"en": ("en-GB", "en"), "zh": ("zh-CN", "zh-hans")}
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def scene(live_server) -> dict[str, Any]:
    world = build_world()
    world.licensor.name_zh = "上海璐米纳生物"
    world.licensor.save()
    room = make_room(world.licensor, code_name="LMN-2201")
    return {"world": world, "room": room, "url": live_server.url}


def _wide(page: Any) -> Any:
    page.set_viewport_size(WIDE)
    return page


def _fits(page: Any) -> bool:
    """Nothing is wider than the window, and the list's columns fit its box (the admin scrolls a too-wide result
    table inside its own box, which cuts the last columns off)."""
    return bool(page.evaluate("""() => {
        const results = document.querySelector('#changelist .results');
        const inside = !results || results.scrollWidth <= results.clientWidth + 1;
        return inside && document.documentElement.scrollWidth <= window.innerWidth;
    }"""))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_staff_edit_is_an_audit_event_readable_in_the_readers_language(open_page, scene, language):
    locale, preferred = LANGUAGES[language]
    root = staff_member("root@gpc.test", "Sam Superuser", is_superuser=True, preferred_language=preferred)
    partner = scene["world"].partner
    page = _wide(open_page(locale))
    sign_in(page, scene["url"], root)
    page.goto(f"{scene['url']}/admin/companies/company/{partner.pk}/change/")
    # The export gate's inputs are not editable here.
    assert page.locator("#id_country").count() == 0 and page.locator("#id_kind").count() == 0
    page.fill("#id_website", "https://northbridge-new.example")
    page.click('input[name="_save"]')
    page.wait_for_selector(".messagelist .success")
    event = AuditEvent.objects.get(action=OBJECT_CHANGED, target_id=str(partner.pk))
    assert event.details["fields"]["website"]["new"] == "https://northbridge-new.example"

    page.goto(f"{scene['url']}/admin/audit/auditevent/")
    assert _fits(page)
    page.goto(f"{scene['url']}/admin/audit/auditevent/?q=northbridge")
    listing = page.inner_text("#result_list")
    assert ("Changed in the staff console" if language == "en" else "在员工控制台中修改") in listing
    assert "console.object_changed" not in listing
    assert _fits(page)
    page.goto(f"{scene['url']}/admin/audit/auditevent/{event.pk}/change/")
    assert "https://northbridge-new.example" in page.content()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_export_clearance_queue_is_a_worklist_that_drains(open_page, scene, language):
    locale, preferred = LANGUAGES[language]
    world, room = scene["world"], scene["room"]
    folder = Folder.objects.create(room=room, name="Clinical")
    document = Document.objects.create(room=room, folder=folder, name="Cohort genotypes.pdf", is_hgr=True)
    audit_record(action="dataroom.document_refused", actor=world.other_member, target=document,
                 company=world.partner, details={"code": "export_clearance_required", "missing": ["hgr"]})
    officer = staff_member("compliance@gpc.test", "Zhou Hui 周慧", COMPLIANCE_OFFICER, preferred_language=preferred)
    page = _wide(open_page(locale))
    sign_in(page, scene["url"], officer)
    queue = page.locator('tr[data-queue="datarooms.export_clearances_requested"]')
    assert queue.locator("td.count").inner_text().strip() == "1"
    queue.locator("th a").click()
    row = page.locator("tr.waiting-clearance")
    assert row.count() == 1
    # The partner by its name in the reader's language.
    assert (world.partner.name_zh if language == "zh" and world.partner.name_zh else world.partner.name_en
            ) in row.inner_text()
    row.locator("a.record-clearance").click()
    # Pre-filled: room, company and a clearance type that lifts the gate; nobody types an id.
    assert page.input_value("#id_room") == str(room.pk)
    assert page.input_value("#id_company") == str(world.partner.pk)
    assert page.input_value("#id_clearance_type") == "hgr_approval"
    page.fill("#id_reference", "HGR-2026-0199")
    page.fill("#id_valid_until", (timezone.now() + timedelta(days=365)).date().isoformat())
    page.click('input[name="_save"]')
    page.wait_for_selector(".messagelist .success")
    assert ExportClearance.objects.filter(reference="HGR-2026-0199", recorded_by=officer).exists()
    page.goto(f"{scene['url']}/admin/")
    assert page.locator('tr[data-queue="datarooms.export_clearances_requested"] td.count').inner_text().strip() == "0"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_bulk_moderation_says_plainly_what_it_did(open_page, scene, language):
    locale, preferred = LANGUAGES[language]
    licensor = scene["world"].licensor
    first = make_asset(licensor, status=AssetStatus.SUBMITTED, code_name="LMN-3301")
    second = make_asset(licensor, status=AssetStatus.SUBMITTED, code_name="LMN-3302")
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR, preferred_language=preferred)
    page = _wide(open_page(locale))
    sign_in(page, scene["url"], moderator)
    page.goto(f"{scene['url']}/admin/catalog/asset/?status__exact=submitted")

    # The reason page: its Cancel link goes back to the list.
    page.check(f'input[name="_selected_action"][value="{first.pk}"]')
    page.select_option('select[name="action"]', "publish_assets")
    page.click('button[name="index"]')
    page.click("a.cancel-link")
    page.wait_for_url(re.compile(r"/admin/catalog/asset/$"))

    # Two listings published: one pluralised success message.
    page.goto(f"{scene['url']}/admin/catalog/asset/?status__exact=submitted")
    for asset in (first, second):
        page.check(f'input[name="_selected_action"][value="{asset.pk}"]')
    page.select_option('select[name="action"]', "publish_assets")
    page.click('button[name="index"]')
    page.fill("#id_reason", "Teasers read well.")
    page.click('#reason-form input[name="apply"]')
    page.wait_for_selector(".messagelist .success")
    assert ("2 listings published." if language == "en" else "已发布 2 个资产条目。") in page.inner_text(".messagelist")

    # Publishing them again changes nothing: warnings only, no green success.
    page.goto(f"{scene['url']}/admin/catalog/asset/")
    page.check(f'input[name="_selected_action"][value="{first.pk}"]')
    page.select_option('select[name="action"]', "publish_assets")
    page.click('button[name="index"]')
    page.click('#reason-form input[name="apply"]')
    page.wait_for_selector(".messagelist .warning")
    assert page.locator(".messagelist .success").count() == 0
    assert ("Nothing was changed." if language == "en" else "没有任何更改。") in page.inner_text(".messagelist")
    assert _fits(page)
    # The owner in the reader's language (Lumina has a Chinese name).
    owner = page.inner_text(f'#result_list tr:has(a[href*="/asset/{first.pk}/"]) td.field-owner_company')
    assert owner == ("Shanghai Lumina Biotherapeutics" if language == "en" else "上海璐米纳生物")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_grants_are_searchable_and_filtered_by_state(open_page, scene, language):
    locale, preferred = LANGUAGES[language]
    world, room = scene["world"], scene["room"]
    now = timezone.now()
    active = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                        expires_at=now + timedelta(days=30))
    revoked = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                         expires_at=now + timedelta(days=30), revoked_at=now)
    expired = AccessGrant.objects.create(room=room, company=world.partner, granted_by=world.owner,
                                         expires_at=now - timedelta(days=1))
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR, preferred_language=preferred)
    page = _wide(open_page(locale))
    sign_in(page, scene["url"], moderator)
    for state, grant in (("active", active), ("revoked", revoked), ("expired", expired)):
        page.goto(f"{scene['url']}/admin/datarooms/accessgrant/?state={state}")
        links = page.locator("#result_list tbody a")
        assert [links.nth(i).get_attribute("href").split("?")[0] for i in range(links.count())] == [
            f"/admin/datarooms/accessgrant/{grant.pk}/change/"]
    page.goto(f"{scene['url']}/admin/datarooms/accessgrant/")
    page.fill("#searchbar", "Northbridge")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url(re.compile(r"q=Northbridge"))
    assert page.locator("#result_list tbody tr").count() == 3
    assert _fits(page)  # "revoked at" is not cut off at 1366 pixels
    page.goto(f"{scene['url']}/admin/datarooms/accessrequest/?q=Northbridge")
    assert page.locator("#changelist-search").count() == 1


@pytest.mark.parametrize("language", ["en", "zh"])
def test_third_party_pages_are_grouped_for_superusers_and_hidden_from_moderators(open_page, scene, language):
    locale, preferred = LANGUAGES[language]
    root = staff_member("root@gpc.test", "Sam Superuser", is_superuser=True, preferred_language=preferred)
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR, preferred_language=preferred)
    page = _wide(open_page(locale))
    sign_in(page, scene["url"], root)
    system = "System (third-party)" if language == "en" else "系统（第三方组件）"
    captions = [text.strip() for text in page.locator("#content-main .module caption").all_text_contents()]
    assert captions[-1] == system
    assert page.locator("a[href='/admin/otp_totp/totpdevice/']").count() >= 1

    page = _wide(open_page(locale))
    sign_in(page, scene["url"], moderator)
    assert system not in page.content()
    assert page.locator("a[href='/admin/otp_totp/totpdevice/']").count() == 0
    response = page.goto(f"{scene['url']}/admin/otp_totp/totpdevice/")
    assert response is not None and response.status == 403
