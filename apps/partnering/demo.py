"""Fictional partnering demo data (idempotent): Northbridge's open call for oncology biologics, Lumina's
submission of LMN-2201 under review, Northbridge's private evaluation of it, a confirmed meeting between Boston
and Shanghai about the submission, a partnering event with both companies registered, and Rhine Valley's call for
autoimmune assets waiting in the staff console's moderation queue."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from apps.partnering import services
from apps.partnering.models import (
    CallForAssets,
    CallStatus,
    Evaluation,
    EventRegistration,
    Meeting,
    PartneringEvent,
    Submission,
    SubmissionStatus,
)

CALL_TITLE = "Seeking oncology bispecifics and ADCs, phase 1 or later"
WAITING_CALL_TITLE = "In-licensing autoimmune biologics for Europe, preclinical to phase 2"


def load(ctx: dict[str, Any]) -> None:
    companies, people = ctx.get("companies") or {}, ctx.get("people") or {}
    assets = ctx.get("assets") or {}
    northbridge, lumina = companies.get("northbridge"), companies.get("lumina")
    bd, staff, lumina_admin = people.get("northbridge_admin"), people.get("staff_admin"), people.get("lumina_admin")
    lead = assets.get("LMN-2201") if isinstance(assets, dict) else None
    if not (northbridge and lumina and bd and staff and lumina_admin and lead):
        return

    call = CallForAssets.objects.filter(company=northbridge, title_en=CALL_TITLE).first()
    if call is None:
        call = services.call_create(
            actor=bd, company=northbridge, title_en=CALL_TITLE, title_zh="寻求肿瘤领域双抗及抗体偶联药物（一期及以后）",
            description_en="Northbridge Pharma seeks bispecific antibodies and antibody-drug conjugates in solid "
                           "tumours, phase 1 or later, with rights in the US, EU and Japan. Licence or option.",
            description_zh="北桥制药寻求实体瘤领域的双特异性抗体和抗体偶联药物（一期及以后），需美国、欧盟和日本权益，"
                           "许可或期权均可。",
            therapeutic_areas=["oncology"], modalities=["bispecific_antibody", "adc"],
            stages=["phase_1", "phase_1b_2", "phase_2", "phase_3"], territories=["us", "eu", "japan"],
            deal_types=["exclusive_license", "option"], deadline=timezone.localdate() + timedelta(days=60))
    if call.status == CallStatus.DRAFT:
        call = services.call_submit(actor=bd, call=call)
    if call.status == CallStatus.SUBMITTED:
        call = services.call_publish(actor=staff, call=call, note="Clear scope; welcome.")

    submission = Submission.objects.filter(call=call, asset=lead).first()
    if submission is None:
        submission = services.submission_create(
            actor=lumina_admin, call=call, asset=lead,
            pitch="LMN-2201: first-in-class PD-1×VEGF bispecific, phase 2 in first-line NSCLC (48% ORR); "
                  "US, EU and Japan rights available.")
    if submission.status == SubmissionStatus.RECEIVED:
        services.submission_triage(actor=bd, submission=submission, status=SubmissionStatus.UNDER_REVIEW)

    if not Evaluation.objects.filter(company=northbridge, asset=lead).exists():
        evaluation = services.evaluation_create(actor=bd, submission=submission,
                                                note="First read after the call; ahead of the CDA.")
        scores = dict(science=8, ip_position=7, clinical_data=8, regulatory_path=6, commercial_fit=9)
        criteria = {c.code: c for c in northbridge.evaluation_criteria.all()}
        services.evaluation_score(actor=bd, evaluation=evaluation, scores=[
            {"criterion": criteria[code].pk, "score": score, "comment": ""} for code, score in scores.items()])

    if not Meeting.objects.filter(context_type="submission", context_id=submission.pk).exists():
        # 09:00 in Boston is 21:00 in Shanghai (13:00 UTC while New York keeps daylight time, 14:00 otherwise).
        day = (timezone.now() + timedelta(days=14)).date()
        start = datetime.combine(day, time(13, 0), tzinfo=UTC)
        meeting = services.meeting_request(
            actor=bd, context_type="submission", context_id=submission.pk, subject="LMN-2201: first discussion",
            slots=[{"starts_at": start, "ends_at": start + timedelta(hours=1)},
                   {"starts_at": start + timedelta(days=1), "ends_at": start + timedelta(days=1, hours=1)}],
            location="Video call (link in the invitation)")
        services.meeting_accept(actor=lumina_admin, meeting=meeting, slot=meeting.slots.order_by("starts_at")[0])

    event = PartneringEvent.objects.filter(name="Boston Partnering Week (demo)").first()
    if event is None:
        starts_on = timezone.localdate() + timedelta(days=45)
        event = services.event_create(actor=staff, name="Boston Partnering Week (demo)", starts_on=starts_on,
                                      ends_on=starts_on + timedelta(days=1), time_zone="America/New_York",
                                      day_starts=time(9, 0), day_ends=time(17, 0), slot_minutes=30,
                                      rooms=["Table 1", "Table 2", "Table 3"])
    for actor in (bd, lumina_admin):
        if not EventRegistration.objects.filter(event=event, registered_by=actor).exists():
            registration = services.event_register(actor=actor, event=event)
            slots = services.event_slots(event)
            services.event_availability_set(actor=actor, registration=registration,
                                            windows=[{"starts_at": slots[0][0], "ends_at": slots[-1][1]}])

    _load_waiting_call(companies.get("rhine"), people.get("rhine_admin"))


def _load_waiting_call(rhine: Any, rhine_admin: Any) -> None:
    """A call submitted for review and not yet moderated: what a moderator finds on the console's dashboard."""
    if not (rhine and rhine_admin) or CallForAssets.objects.filter(company=rhine, title_en=WAITING_CALL_TITLE).exists():
        return
    call = services.call_create(
        actor=rhine_admin, company=rhine, title_en=WAITING_CALL_TITLE, title_zh="引进欧洲自身免疫生物药（临床前至二期）",
        description_en="Rhine Valley Therapeutics in-licenses biologics for autoimmune disease (lupus, IgA "
                       "nephropathy, atopic dermatitis), preclinical to phase 2, with rights in the EU and the UK.",
        description_zh="莱茵谷治疗公司引进自身免疫疾病（狼疮、IgA 肾病、特应性皮炎）的生物药，临床前至二期，"
                       "需欧盟和英国权益。",
        therapeutic_areas=["immunology"], modalities=["monoclonal_antibody", "bispecific_antibody"],
        stages=["preclinical", "ind_enabling", "phase_1", "phase_1b_2", "phase_2"], territories=["eu", "GB"],
        deal_types=["exclusive_license", "co_development"], deadline=timezone.localdate() + timedelta(days=90))
    services.call_submit(actor=rhine_admin, call=call)
