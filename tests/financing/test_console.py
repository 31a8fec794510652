"""Round moderation in the staff console, in English and Chinese, through the services (notified and audited)."""

import pytest

from apps.audit.models import AuditEvent
from apps.console.roles import MODERATOR
from apps.financing.models import Round, RoundStatus
from apps.notifications.models import OutboxEvent
from tests.financing.helpers import financing_world, make_round

pytestmark = pytest.mark.django_db


def _console(user, language="en"):
    """An admin client past the two-factor sign-in (the console requires a verified TOTP device)."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    user.groups.add(Group.objects.get(name=MODERATOR))
    user.preferred_language = language
    user.save()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


URL = "/admin/financing/round/"


def test_a_moderator_publishes_and_matching_investors_hear_of_it(world):
    financing_world(world)
    submitted = make_round(world.licensor, status=RoundStatus.SUBMITTED, name_en="Series B (console)")
    client = _console(world.staff)
    page = client.post(URL, {"action": "publish_rounds", "_selected_action": [submitted.pk]})
    assert page.status_code == 200 and b"Publish the selected rounds" in page.content
    client.post(URL, {"action": "publish_rounds", "_selected_action": [submitted.pk], "apply": "1", "reason": ""})
    assert Round.objects.get(pk=submitted.pk).status == RoundStatus.PUBLISHED
    assert OutboxEvent.objects.filter(kind="financing.round_matched").exists()
    assert AuditEvent.objects.filter(action="financing.round_published", target_id=str(submitted.pk)).exists()


def test_the_console_speaks_chinese_and_sends_back_with_the_reason(world):
    submitted = make_round(world.licensor, status=RoundStatus.SUBMITTED)
    client = _console(world.staff, "zh-hans")
    listing = client.get(f"{URL}?status__exact=submitted")
    assert listing.status_code == 200 and "要求修改所选融资轮" in listing.content.decode()
    page = client.post(URL, {"action": "request_round_changes", "_selected_action": [submitted.pk]})
    assert "该生物技术公司的贡献者会收到原因" in page.content.decode()
    client.post(URL, {"action": "request_round_changes", "_selected_action": [submitted.pk], "apply": "1",
                      "reason": "请补充资金用途的中文说明。"})
    submitted.refresh_from_db()
    assert submitted.status == RoundStatus.CHANGES_REQUESTED and submitted.status_reason == "请补充资金用途的中文说明。"


def test_sending_back_needs_a_reason(world):
    submitted = make_round(world.licensor, status=RoundStatus.SUBMITTED)
    client = _console(world.staff)
    client.post(URL, {"action": "request_round_changes", "_selected_action": [submitted.pk], "apply": "1",
                      "reason": ""})
    assert Round.objects.get(pk=submitted.pk).status == RoundStatus.SUBMITTED


def test_the_dashboard_counts_rounds_waiting_for_review(world):
    make_round(world.licensor, status=RoundStatus.SUBMITTED)
    response = _console(world.staff).get("/admin/")
    assert response.status_code == 200 and "Financing rounds submitted for review" in response.content.decode()


def test_the_book_is_not_in_the_console(world):
    financing_world(world)
    assert _console(world.staff).get("/admin/financing/bookentry/").status_code == 404
