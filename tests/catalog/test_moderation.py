"""Moderation: draft → submitted → published, or changes requested (with reason) → resubmitted; archived."""


import pytest

from apps.audit.models import AuditEvent
from apps.catalog import services
from apps.catalog.models import Asset, AssetStatus
from apps.companies.models import VerificationStatus
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.notifications.models import OutboxEvent
from tests.catalog.helpers import make_asset
from tests.factories import CompanyFactory, UserFactory, add_member


def _console(user):
    """An admin client past the two-factor sign-in (the console requires a verified TOTP device)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _kinds():
    """The outbox rows the services wrote, in order (what the worker will deliver)."""
    return list(OutboxEvent.objects.order_by("pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_full_moderation_path_with_changes_requested(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT)
    services.asset_submit(actor=world.member, asset=asset)
    services.asset_request_changes(actor=world.staff, asset=asset, reason="Add the Chinese summary.")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.CHANGES_REQUESTED and asset.status_reason == "Add the Chinese summary."
    services.asset_submit(actor=world.member, asset=asset)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED and asset.resubmission
    services.asset_publish(actor=world.staff, asset=asset)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED and asset.published_at is not None
    assert _kinds() == ["catalog.asset_submitted", "catalog.asset_changes_requested",
                                "catalog.asset_submitted", "catalog.asset_published"]
    actions = list(AuditEvent.objects.filter(target_type="catalog.asset", target_id=str(asset.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["catalog.asset_submitted", "catalog.asset_changes_requested", "catalog.asset_submitted",
                       "catalog.asset_published"]


@pytest.mark.django_db
def test_owner_is_notified_with_the_reason(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_request_changes(actor=world.staff, asset=asset, reason="Stage looks wrong.")
    event = OutboxEvent.objects.get()
    assert event.kind == "catalog.asset_changes_requested" and event.context["reason"] == "Stage looks wrong."
    assert sorted(event.recipient_ids) == sorted([world.owner.pk, world.admin.pk, world.member.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "service"), [
    (AssetStatus.DRAFT, "publish"), (AssetStatus.PUBLISHED, "publish"), (AssetStatus.DRAFT, "request_changes"),
    (AssetStatus.PUBLISHED, "submit"), (AssetStatus.SUBMITTED, "submit"), (AssetStatus.ARCHIVED, "archive"),
    (AssetStatus.ARCHIVED, "submit"),
])
def test_bad_transitions_are_conflicts(world, status, service):
    asset = make_asset(world.licensor, status=status)
    call = {
        "publish": lambda: services.asset_publish(actor=world.staff, asset=asset),
        "request_changes": lambda: services.asset_request_changes(actor=world.staff, asset=asset, reason="x"),
        "submit": lambda: services.asset_submit(actor=world.member, asset=asset),
        "archive": lambda: services.asset_archive(actor=world.member, asset=asset),
    }[service]
    with pytest.raises(Conflict):
        call()
    assert not OutboxEvent.objects.exists()  # a refused transition tells nobody


@pytest.mark.django_db
def test_bad_transition_answers_409_in_the_api(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT)
    response = world.client("staff").post(f"/api/v1/assets/{asset.pk}/publish/", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "invalid_transition"


@pytest.mark.django_db
def test_request_changes_needs_a_reason(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    with pytest.raises(ValidationFailed):
        services.asset_request_changes(actor=world.staff, asset=asset, reason="  ")
    response = world.client("staff").post(f"/api/v1/assets/{asset.pk}/request-changes/", {}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_only_staff_publish(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    with pytest.raises(PermissionRefused):
        services.asset_publish(actor=world.owner, asset=asset)


@pytest.mark.django_db
def test_incomplete_teaser_cannot_be_submitted(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT, territories=[], summary_en="", summary_zh="")
    response = world.client("member").post(f"/api/v1/assets/{asset.pk}/submit/")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"territories", "summary_en"}


@pytest.mark.django_db
def test_pending_company_cannot_create_assets(world):
    pending = CompanyFactory(verification_status=VerificationStatus.PENDING, name_en="Jade Peak")
    founder = UserFactory()
    add_member(pending, founder, "owner")
    with pytest.raises(PermissionRefused):
        services.asset_create(actor=founder, code_name="JP-118", modality="peptide", stage="phase_1")
    client = world.client("owner")
    client.force_authenticate(founder)
    response = client.post("/api/v1/assets/", {"code_name": "JP-118", "modality": "peptide", "stage": "phase_1"},
                           format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "company_not_verified"


@pytest.mark.django_db
def test_viewer_cannot_create(world):
    with pytest.raises(PermissionRefused):
        services.asset_create(actor=world.viewer, code_name="V-1", modality="adc", stage="phase_1")


@pytest.mark.django_db
def test_create_is_audited_and_starts_as_draft(world):
    asset = services.asset_create(actor=world.member, code_name=" LMN-5005 ", modality="adc", stage="phase_1",
                                  targets=["her2", " trop2 "], indications=["Gastric Cancer"])
    assert asset.status == AssetStatus.DRAFT and asset.code_name == "LMN-5005"
    assert asset.targets == ["HER2", "TROP2"] and asset.indications == ["gastric cancer"]
    assert AuditEvent.objects.filter(action="catalog.asset_created", target_id=str(asset.pk)).exists()


@pytest.mark.django_db
def test_duplicate_code_name_is_a_conflict(world):
    make_asset(world.licensor, code_name="LMN-2201")
    response = world.client("member").post(
        "/api/v1/assets/", {"code_name": "lmn-2201", "modality": "adc", "stage": "phase_1"}, format="json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_submitted_listing_is_frozen_until_moderated(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    response = world.client("member").patch(f"/api/v1/assets/{asset.pk}/", {"stage": "phase_3"}, format="json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_archived_asset_disappears_for_partners(world):
    asset = make_asset(world.licensor)
    services.asset_archive(actor=world.admin, asset=asset, reason="Licensed out.")
    assert world.client("other_member").get(f"/api/v1/assets/{asset.pk}/").status_code == 404
    assert world.client("owner").get(f"/api/v1/assets/{asset.pk}/").json()["status"] == "archived"


@pytest.mark.django_db
def test_admin_actions_publish_and_request_changes_with_reason(world):
    first = make_asset(world.licensor, status=AssetStatus.SUBMITTED, code_name="ADM-1")
    second = make_asset(world.licensor, status=AssetStatus.SUBMITTED, code_name="ADM-2")
    client = _console(world.staff)
    url = "/admin/catalog/asset/"
    # First POST shows the reason form; the second applies it.
    page = client.post(url, {"action": "request_changes", "_selected_action": [second.pk]})
    assert page.status_code == 200 and b"reason" in page.content
    client.post(url, {"action": "request_changes", "_selected_action": [second.pk], "apply": "1",
                      "reason": "Clarify the territory."})
    client.post(url, {"action": "publish_assets", "_selected_action": [first.pk], "apply": "1", "reason": ""})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AssetStatus.PUBLISHED
    assert "catalog.asset_published" in _kinds()
    assert second.status == AssetStatus.CHANGES_REQUESTED and second.status_reason == "Clarify the territory."


@pytest.mark.django_db
def test_admin_changelist_search_and_filters(world):
    make_asset(world.licensor, code_name="LMN-2201")
    client = _console(world.staff)
    response = client.get("/admin/catalog/asset/?q=LMN&status__exact=published&modality__exact=bispecific_antibody")
    assert response.status_code == 200 and b"LMN-2201" in response.content


def test_asset_model_keeps_the_names_other_apps_use():
    from apps.catalog.models import VIEW_CONFIDENTIAL, AssetStatus, DealType, Modality, Stage  # noqa: F401

    assert VIEW_CONFIDENTIAL == "view_confidential"
    assert ("view_confidential_asset", "Can see the asset's confidential core") in [
        (code, str(name)) for code, name in Asset._meta.permissions]
