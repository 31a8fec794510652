"""Delivery scenarios of the data-room notification kinds (runner: tests/notifications/test_every_kind_is_delivered.py).

Each drives the real service as a real person of the standard world (tests/datarooms/rooms.py): Lumina's
admin runs the room of LMN-2201, Northbridge (persona other_member) is the partner.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.datarooms import services
from apps.datarooms.models import AccessGrant
from tests.datarooms.rooms import build_room, second_partner
from tests.notifications.scenarios import Told, scenario


@scenario("dataroom.access_requested")
def _access_requested(world):
    room = build_room(world)
    services.access_request_create(actor=world.other_member, asset=room.asset, message="We license in oncology.")
    return Told(world.admin, says="Northbridge Pharma asks for access to the data room of LMN-2201",
                says_zh="北桥制药 申请访问 LMN-2201 的数据室", not_told=[world.member, world.viewer])


@scenario("dataroom.access_approved")
def _access_approved(world):
    room = build_room(world)
    request = services.access_request_create(actor=world.other_member, asset=room.asset, message="Please.")
    services.access_request_approve(actor=world.admin, request=request, level="download", scope="room",
                                    expires_at=timezone.now() + timedelta(days=30))
    return Told(world.other_member, says="was approved (View and download)", says_zh="访问已获批准（查看和下载）",
                not_told=[world.owner, world.member])


@scenario("dataroom.access_denied")
def _access_denied(world):
    room = build_room(world)
    request = services.access_request_create(actor=world.other_member, asset=room.asset, message="Please.")
    services.access_request_deny(actor=world.admin, request=request, reason="Out of scope for now.")
    return Told(world.other_member, says="was declined: Out of scope for now.",
                says_zh="访问申请被拒绝：Out of scope for now.", not_told=[world.owner])


@scenario("dataroom.access_extended")
def _access_extended(world):
    room = build_room(world, grant="view")
    services.grant_update(actor=world.admin, grant=room.grant, level="download",
                          expires_at=room.grant.expires_at + timedelta(days=60))
    expires = (room.grant.expires_at + timedelta(days=60)).date().isoformat()
    return Told(world.other_member, says=f"was extended: View and download until {expires}",
                says_zh=f"已延长：查看和下载，有效期至 {expires}", not_told=[world.owner, world.admin])


@scenario("dataroom.access_revoked")
def _access_revoked(world):
    room = build_room(world, grant="download")
    services.grant_revoke(actor=world.admin, grant=room.grant)
    # The partner can no longer open the room, and is told exactly that; the owner's people are not.
    return Told(world.other_member, says="Your access to the data room of LMN-2201 was revoked.",
                says_zh="您对 LMN-2201 数据室的访问权限已被撤销", not_told=[world.owner, world.admin, world.member])


@scenario("dataroom.grant_revoked_by_staff")
def _grant_revoked_by_staff(world):
    from django.contrib.auth.models import Permission

    room = build_room(world, grant="download")
    world.staff.user_permissions.add(Permission.objects.get(codename="change_accessgrant"))
    staff = type(world.staff).objects.get(pk=world.staff.pk)
    services.grant_revoke_by_staff(actor=staff, grant=room.grant, reason="Sanctions screening hit.")
    return Told(world.admin, says="Platform staff revoked the access of Northbridge Pharma",
                says_zh="平台工作人员撤销了 北桥制药 对 LMN-2201 数据室的访问权限",
                not_told=[world.other_member, world.member])


@scenario("dataroom.access_expiring")
def _access_expiring(world):
    build_room(world, grant="download", expires_in=timedelta(days=2))
    services.grants_warn_expiring(days=3)
    return Told(world.other_member, says="Your access to the data room of LMN-2201 expires on",
                says_zh="您对 LMN-2201 数据室的访问权限将于", not_told=[world.owner, world.admin])


@scenario("dataroom.access_expired")
def _access_expired(world):
    room = build_room(world, grant="download")
    AccessGrant.objects.filter(pk=room.grant.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    services.grants_record_expired()
    # The grant has ended, so the partner can no longer see the room: it is told all the same.
    return Told(world.other_member, says="Your access to the data room of LMN-2201 expired on",
                says_zh="您对 LMN-2201 数据室的访问权限已于", not_told=[world.owner, world.admin])


@scenario("dataroom.question_asked")
def _question_asked(world):
    room = build_room(world, grant="download")
    services.question_ask(actor=world.other_member, room=room.room, text="What was the ORR at 20 mg/kg?")
    return Told(world.member, says="A partner asked: What was the ORR at 20 mg/kg?",
                says_zh="合作方提问：What was the ORR at 20 mg/kg?", not_told=[world.viewer, world.staff])


@scenario("dataroom.question_answered")
def _question_answered(world):
    room = build_room(world, grant="download")
    rival_company, rival = second_partner(world)
    services.grant_create(actor=world.admin, room=room.room, company=rival_company, level="view", scope="room",
                          expires_at=timezone.now() + timedelta(days=30))
    question = services.question_ask(actor=world.other_member, room=room.room, text="ORR at 20 mg/kg?")
    services.question_answer(actor=world.admin, question=question, answer="42% (n=31).")
    return Told(world.other_member, says="Answer: 42% (n=31).", says_zh="回答：42% (n=31).", not_told=[rival])


@scenario("dataroom.folders_released")
def _folders_released(world):
    room = build_room(world, grant="download")
    services.grant_release_folders(actor=world.admin, grant=room.grant, folders=[room.cmc])
    return Told(world.other_member, says="were opened to your company: CMC",
                says_zh="数据室的新文件夹已向贵公司开放：CMC", not_told=[world.owner, world.admin])


@scenario("dataroom.download_limit_reached")
def _download_limit_reached(world):
    room = build_room(world, grant="download")
    services.download_limit_reached(actor=world.other_member, document=room.csr)
    return Told(world.admin, says="Nora Northbridge (Northbridge Pharma) reached the download limit",
                says_zh="Nora Northbridge（北桥制药）", not_told=[world.other_member, world.member])


@scenario("dataroom.scan_found")
def _scan_found(world):
    # Issue 18: a patient list nobody classified; its scan finds personal information and the room's managers hear.
    from tests.datarooms.scan_world import upload_patient_list

    upload_patient_list(world, name="patients.csv")
    return Told(world.admin, says="A scan found Personal information in patients.csv",
                says_zh="扫描在 patients.csv 中发现了个人信息", not_told=[world.member, world.other_member])
