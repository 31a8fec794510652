"""The console in a real Chromium (Debian's package, driven by Playwright): staff sign in with a TOTP code and
do their work; moderators stay out of compliance and superuser pages; company users stay out altogether.

Each test saves a screenshot under artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.catalog.models import Asset, AssetStatus
from apps.companies.models import Company, VerificationStatus
from apps.console.totp import current_code
from apps.datarooms.models import AccessRequest, ExportClearance
from tests.conftest import build_world
from tests.console.conftest import COMPLIANCE_OFFICER, MODERATOR, enrol, make_asset, make_room, staff_member
from tests.factories import PASSWORD, CompanyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# The browser and open_page fixtures live in tests/console/conftest.py (shared with test_browser_worklists.py).


def sign_in(page: Any, base_url: str, user: Any) -> None:
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(enrol(user)))
    page.click("#login-form input[type=submit]")
    page.wait_for_selector("#site-name")


def run_action(page: Any, action: str, pk: int, reason: str) -> None:
    """Tick one row, choose the action, then give the reason on the intermediate page."""
    page.check(f'input[name="_selected_action"][value="{pk}"]')
    page.select_option('select[name="action"]', action)
    page.click('button[name="index"]')
    page.fill("#id_reason", reason)
    page.click("form:has(#id_reason) input[type=submit]")
    page.wait_for_selector(".messagelist .success")


def queue_link(page: Any, key: str) -> Any:
    return page.locator(f'tr[data-queue="{key}"] th a')


@pytest.fixture
def scene(live_server) -> dict[str, Any]:
    """Lumina's room with an access request five days old, a submitted listing, a company awaiting verification."""
    world = build_world()
    room = make_room(world.licensor, code_name="LMN-2201")
    request = AccessRequest.objects.create(room=room, company=world.partner, requested_by=world.other_member,
                                           message="Northbridge would like to review the phase 2 data.")
    AccessRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=5))
    submitted = make_asset(world.licensor, status=AssetStatus.SUBMITTED, code_name="LMN-3301")
    jade = CompanyFactory(name_en="Hangzhou Jade Peak Pharmaceuticals", name_zh="杭州玉峰医药",
                          verification_status=VerificationStatus.PENDING)
    return {"world": world, "room": room, "request": request, "submitted": submitted, "jade": jade,
            "url": live_server.url}


def test_a_moderator_signs_in_with_totp_and_works_the_queues(open_page, scene):
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR)
    page = open_page()
    sign_in(page, scene["url"], moderator)
    assert "GPC staff console" in page.title()

    # Verify the pending company from its queue.
    queue_link(page, "companies.pending").click()
    run_action(page, "verify_companies", scene["jade"].pk, "Business licence checked against the registry.")
    assert Company.objects.get(pk=scene["jade"].pk).verification_status == VerificationStatus.VERIFIED

    # Publish the submitted listing.
    page.goto(f"{scene['url']}/admin/")
    queue_link(page, "catalog.submitted").click()
    run_action(page, "publish_assets", scene["submitted"].pk, "Teaser reads well.")
    assert Asset.objects.get(pk=scene["submitted"].pk).status == AssetStatus.PUBLISHED

    # Review the overdue access request.
    page.goto(f"{scene['url']}/admin/")
    assert queue_link(page, "datarooms.overdue_requests").count() == 1
    queue_link(page, "datarooms.overdue_requests").click()
    page.click(f'#result_list a[href*="/accessrequest/{scene["request"].pk}/change/"]')
    page.wait_for_selector("text=Northbridge would like to review the phase 2 data.")

    # Browse the audit log for the verification just made.
    page.goto(f"{scene['url']}/admin/audit/auditevent/")
    page.fill('input[name="actor_email"]', "moderator@gpc")
    page.locator('input[name="actor_email"]').press("Enter")
    page.wait_for_url(re.compile(r"actor_email="))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 2
    assert "Company verified" in page.inner_text("#result_list")
    assert "Asset published" in page.inner_text("#result_list")


def test_a_compliance_officer_records_an_export_clearance(open_page, scene):
    officer = staff_member("compliance@gpc.test", "Zhou Hui", COMPLIANCE_OFFICER)
    page = open_page()
    sign_in(page, scene["url"], officer)
    page.goto(f"{scene['url']}/admin/datarooms/exportclearance/add/")
    page.fill("#id_room", str(scene["room"].pk))
    page.fill("#id_company", str(scene["world"].partner.pk))
    page.select_option("#id_clearance_type", "hgr_filing")
    page.fill("#id_reference", "HGR-2026-0142")
    page.fill("#id_valid_until", (timezone.now() + timedelta(days=365)).date().isoformat())
    page.click('input[name="_save"]')
    page.wait_for_selector(".messagelist .success")
    clearance = ExportClearance.objects.get(reference="HGR-2026-0142")
    assert clearance.recorded_by == officer
    assert AuditEvent.objects.filter(action="dataroom.clearance_recorded", actor=officer).exists()


def test_the_console_in_chinese(open_page, scene):
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR, preferred_language="zh-hans")
    officer = staff_member("compliance@gpc.test", "周慧", COMPLIANCE_OFFICER, preferred_language="zh-hans")

    page = open_page("zh-CN")
    page.goto(f"{scene['url']}/admin/login/")
    assert "验证器动态码" in page.content()  # the sign-in page follows the browser's language
    sign_in(page, scene["url"], moderator)
    assert "GPC 员工控制台" in page.content()
    assert "待认证的公司" in page.content()
    queue_link(page, "companies.pending").click()
    page.check(f'input[name="_selected_action"][value="{scene["jade"].pk}"]')
    page.select_option('select[name="action"]', "reject_companies")
    page.click('button[name="index"]')
    page.wait_for_selector("#id_reason")  # the intermediate page has loaded; content() mid-navigation is empty
    assert "拒绝所选公司" in page.content()
    page.fill("#id_reason", "营业执照与注册信息不符。")
    page.click('#reason-form input[name="apply"]')
    page.wait_for_selector(".messagelist .success")
    assert "已拒绝 1 家公司。" in page.inner_text(".messagelist")
    page.goto(f"{scene['url']}/admin/audit/auditevent/")
    assert "导出为 CSV" in page.content()
    assert "公司已被拒绝" in page.inner_text("#result_list")

    page = open_page("zh-CN")
    sign_in(page, scene["url"], officer)
    page.goto(f"{scene['url']}/admin/datarooms/exportclearance/add/")
    page.fill("#id_room", str(scene["room"].pk))
    page.fill("#id_company", str(scene["world"].partner.pk))
    page.select_option("#id_clearance_type", "standard_contract")
    page.fill("#id_reference", "SCC-2026-077")
    page.fill("#id_valid_until", (timezone.now() + timedelta(days=365)).date().isoformat())
    page.click('input[name="_save"]')
    page.wait_for_selector(".messagelist .success")
    assert ExportClearance.objects.filter(reference="SCC-2026-077", recorded_by=officer).exists()


def test_a_moderator_cannot_reach_compliance_or_superuser_pages(open_page, scene):
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR)
    page = open_page()
    sign_in(page, scene["url"], moderator)
    for path in ("/admin/datarooms/exportclearance/add/", "/admin/auth/group/", "/admin/otp_totp/totpdevice/",
                 "/admin/accounts/user/add/"):
        response = page.goto(f"{scene['url']}{path}")
        assert response.status == 403, path
    page.goto(f"{scene['url']}/admin/")
    assert page.locator('a[href="/admin/auth/group/"]').count() == 0


def test_a_company_user_cannot_reach_the_admin(open_page, scene):
    owner = scene["world"].owner
    page = open_page()
    page.goto(f"{scene['url']}/admin/login/?next=/admin/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(enrol(owner)))
    page.click("#login-form input[type=submit]")
    page.wait_for_selector(".errornote")
    page.goto(f"{scene['url']}/admin/companies/company/")
    assert "/admin/login/" in page.url
