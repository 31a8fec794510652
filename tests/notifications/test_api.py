"""The reader's API: only your own notifications, cursor pages, unread state, preferences."""

import pytest

from apps.notifications.models import Notification, NotificationPreference
from tests.notifications.factories import deliver_role_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(world):
    """Five notifications for the member (two read), one for the admin."""
    mine = [deliver_role_change(world.member, world.licensor, role) for role in
            ("viewer", "member", "admin", "viewer", "member")]
    for notification in mine[:2]:
        Notification.objects.filter(pk=notification.pk).update(read_at="2026-01-01T00:00:00Z")
    theirs = deliver_role_change(world.admin, world.licensor)
    return {"mine": mine, "theirs": theirs}


def test_list_shows_only_my_notifications_newest_first(world, inbox):
    response = world.client("member").get("/api/v1/notifications/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == sorted((n.pk for n in inbox["mine"]), reverse=True)
    assert inbox["theirs"].pk not in ids


def test_unread_filter(world, inbox):
    unread = world.client("member").get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    read = world.client("member").get("/api/v1/notifications/", {"unread": "false"}).json()["results"]
    assert len(unread) == 3 and all(not row["is_read"] for row in unread)
    assert len(read) == 2 and all(row["is_read"] for row in read)


def test_malformed_unread_filter_is_a_400(world, inbox):
    response = world.client("member").get("/api/v1/notifications/", {"unread": "perhaps"})
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_cursor_pagination_walks_every_row_once(world, inbox):
    client = world.client("member")
    seen, url = [], "/api/v1/notifications/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(n.pk for n in inbox["mine"])
    assert len(seen) == len(set(seen))


def test_notification_reads_in_my_language(world):
    world.member.preferred_language = "zh-hans"
    world.member.save()
    notification = deliver_role_change(world.member, world.licensor, "admin")
    row = world.client("member").get(f"/api/v1/notifications/{notification.pk}/").json()
    assert row["title"] == f"您在{world.licensor.name_zh}的角色已变更为管理员"
    assert row["target_type"] == "companies.company"
    assert row["target_id"] == str(world.licensor.pk)


def test_unread_count(world, inbox):
    assert world.client("member").get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    assert world.client("outsider").get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_mark_one_read(world, inbox):
    target = inbox["mine"][-1]
    response = world.client("member").post(f"/api/v1/notifications/{target.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    target.refresh_from_db()
    assert target.read_at is not None
    again = world.client("member").post(f"/api/v1/notifications/{target.pk}/read/")
    assert again.json()["read_at"] == response.json()["read_at"]  # marking twice changes nothing


def test_another_persons_notification_is_404_and_stays_unread(world, inbox):
    other = inbox["theirs"]
    client = world.client("member")
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_nonexistent_and_malformed_ids_are_404(world, inbox):
    client = world.client("member")
    assert client.get("/api/v1/notifications/999999999/").status_code == 404
    assert client.post("/api/v1/notifications/not-a-number/read/").status_code == 404


def test_mark_all_read_touches_only_mine(world, inbox):
    response = world.client("member").post("/api/v1/notifications/read-all/")
    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(recipient=world.member, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=inbox["theirs"].pk).read_at is None


def test_preferences_list_every_kind_with_defaults(world):
    rows = world.client("member", language="zh-hans").get("/api/v1/notification-preferences/").json()
    by_kind = {row["kind"]: row for row in rows}
    assert "membership.invited" not in by_kind  # e-mail only, to addresses without an account
    assert by_kind["company.verified"]["delivery"] == "email" and by_kind["company.verified"]["is_default"]
    assert by_kind["membership.role_changed"]["delivery"] == "in_app"
    assert by_kind["company.verified"]["title"] == "公司已认证"


def test_preference_update_is_kept_and_listed(world):
    client = world.client("member")
    response = client.put("/api/v1/notification-preferences/company.verified/", {"delivery": "digest"},
                          format="json")
    assert response.status_code == 200 and response.json()["delivery"] == "digest"
    client.put("/api/v1/notification-preferences/company.verified/", {"delivery": "in_app"}, format="json")
    assert NotificationPreference.objects.get(user=world.member, kind="company.verified").delivery == "in_app"
    rows = {row["kind"]: row for row in client.get("/api/v1/notification-preferences/").json()}
    assert rows["company.verified"]["delivery"] == "in_app" and not rows["company.verified"]["is_default"]
    assert not NotificationPreference.objects.filter(user=world.admin).exists()


@pytest.mark.parametrize("kind", ["asset.teleported", "membership.invited"])
def test_preference_of_an_unknown_or_email_only_kind_is_a_404(world, kind):
    response = world.client("member").put(f"/api/v1/notification-preferences/{kind}/", {"delivery": "digest"},
                                          format="json")
    assert response.status_code == 404, response.content
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(("kind", "body", "field"), [
    ("company.verified", {"delivery": "pigeon"}, "delivery"),
    ("company.verified", {}, "delivery"),
    ("company.verified", {"delivery": "email", "extra": 1}, "extra"),
    ("company.verified", ["email"], None),
])
def test_malformed_preference_update_is_a_400_and_changes_nothing(world, kind, body, field):
    response = world.client("member").put(f"/api/v1/notification-preferences/{kind}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field is None or field in response.json()["error"]["fields"]
    assert not NotificationPreference.objects.exists()


def test_anonymous_gets_401(world):
    assert world.client("anonymous").get("/api/v1/notifications/").status_code == 401
