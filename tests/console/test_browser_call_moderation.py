"""Calls for assets in a real Chromium, in English and in Chinese: a moderator opens the dashboard queue, sends a
call back with a reason and watches the queue drain. Screenshots land in artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from apps.partnering.models import CallForAssets, CallStatus
from tests.conftest import build_world
from tests.console.conftest import MODERATOR, staff_member
from tests.console.test_browser import queue_link, sign_in
from tests.partnering.helpers import make_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = {"en": ("en-GB", "en"), "zh": ("zh-CN", "zh-hans")}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_moderator_sends_a_call_back_from_the_dashboard_queue(open_page, live_server, language):
    locale, preferred = LANGUAGES[language]
    call = make_call(build_world(), status=CallStatus.SUBMITTED)
    moderator = staff_member("moderator@gpc.test", "Mona Moderator", MODERATOR, preferred_language=preferred)
    page = open_page(locale)
    sign_in(page, live_server.url, moderator)
    queue = page.locator('tr[data-queue="partnering.submitted"]')
    assert queue.locator("td.count").inner_text().strip() == "1"
    assert ("Calls for assets submitted for review" if language == "en" else "已提交审核的资产征集"
            ) in queue.inner_text()
    queue_link(page, "partnering.submitted").click()
    page.check(f'input[name="_selected_action"][value="{call.pk}"]')
    page.select_option('select[name="action"]', "request_call_changes")
    page.click('button[name="index"]')
    page.wait_for_selector("#id_reason")
    assert call.title_en in page.content()
    page.fill("#id_reason", "Name the territories you need." if language == "en" else "请说明所需的地区。")
    page.click('#reason-form input[name="apply"]')
    page.wait_for_selector(".messagelist .success")
    assert ("1 call sent back for changes." if language == "en" else "已退回 1 个资产征集要求修改。"
            ) in page.inner_text(".messagelist")
    call = CallForAssets.objects.get(pk=call.pk)
    assert call.status == CallStatus.CHANGES_REQUESTED
    assert AuditEvent.objects.filter(action="partnering.call_changes_requested", actor=moderator).exists()
    page.goto(f"{live_server.url}/admin/")
    assert page.locator('tr[data-queue="partnering.submitted"] td.count').inner_text().strip() == "0"
