"""Partnering's error codes (each with its one meaning), the field examples of its documented answers, and its
refusals of schema-valid requests that depend on data (tests/fuzz/test_schemathesis.py BUSINESS_RULES)."""

from django.utils.translation import gettext_lazy as _

BUSINESS_RULES: dict[str, set[str]] = {
    # A call needs a title and a description in English or Chinese (either one: no schema says "one of two
    # fields non-blank"); its deadline must not have passed; a member of several partner companies names which
    # (apps.partnering.services.call_create, call_update).
    "POST /api/v1/calls/": {"title_en", "description_en", "deadline_passed", "company"},
    "PATCH /api/v1/calls/{id}/": {"title_en", "description_en", "deadline_passed"},
    # A slot ends after it starts (within 8 hours) and has not begun: relations between fields and to now
    # (apps.partnering.services.meeting_request, meeting_propose).
    "POST /api/v1/meetings/": {"bad_slot", "slot_in_past"},
    "POST /api/v1/meetings/{id}/propose/": {"bad_slot", "slot_in_past"},
    # The slot must be one of this meeting's open proposals: which ids those are depends on data
    # (apps.partnering.api.views.MeetingViewSet.accept).
    "POST /api/v1/meetings/{id}/accept/": {"unknown_slot"},
    # Each criterion must be one of the scoring company's active criteria (apps.partnering.services.evaluation_score).
    # An evaluation is of an asset or of a submission, exactly one of the two (both or neither is refused): a
    # relation between two optional fields (apps.partnering.api.serializers.EvaluationCreateSerializer).
    "POST /api/v1/evaluations/": {"asset_or_submission"},
    "POST /api/v1/evaluations/{id}/scores/": {"unknown_criterion"},
    # What a triage needs besides the status depends on the status (a decline needs its reason, and a note for
    # "other"; more information needs the request; only a decline carries a reason or note) and on the
    # submission's current state (apps.partnering.services.submission_triage).
    "POST /api/v1/submissions/{id}/triage/": {"reason_required", "note_required", "decline_only",
                                               "info_request_required"},
    # A window ends after it starts and lies within the event's days and opening hours, in the event's time zone:
    # a relation between fields and to the event's row (apps.partnering.services.event_availability_set).
    "POST /api/v1/events/{id}/availability/": {"bad_window"},
}

ERROR_CODES = {
    "deadline_passed": _("The call's deadline is in the past."),
    "call_closed": _("The call no longer takes submissions (closed, or past its deadline)."),
    "not_the_owner": _("Only contributors of the verified biotech that lists the asset may submit it."),
    "already_submitted": _("This asset was already submitted to this call."),
    "own_asset": _("A company does not evaluate its own asset."),
    "asset_or_submission": _("Give exactly one of asset and submission: the asset to evaluate, or the submission "
                             "whose asset it is."),
    "note_required": _("A decline for another reason needs a decline_note saying why."),
    "decline_only": _("Only a decline carries a decline_reason or decline_note: leave them out for other statuses."),
    "info_request_required": _("Asking for more information needs an info_request saying what you need."),
    "already_evaluated": _("Your company already has an evaluation of this asset: score it instead."),
    "unknown_criterion": _("The criterion is not one of your company's active criteria."),
    "slot_count": _("A meeting request proposes between 1 and 5 slots."),
    "naive_time": _("A time without a UTC offset: write it like 2031-03-10T09:00:00-04:00."),
    "bad_slot": _("A slot must end after it starts, within 8 hours."),
    "slot_in_past": _("The slot has already begun or passed."),
    "unknown_slot": _("The slot is not one of this meeting's open proposals."),
    "not_a_party": _("Only contributors of a company taking part in the context may request a meeting."),
    "participant_busy": _("A participant already has a meeting at that time: nobody is booked twice at once."),
    "invalid_time_zone": _("The time zone is not an IANA name such as Asia/Shanghai or America/New_York."),
    "not_registered": _("The company is not registered for this event."),
    "already_registered": _("Your company is already registered for this event."),
    "bad_window": _("An availability window must lie within the event's days and hours."),
    "no_common_slot": _("No slot is free for both companies, their delegates and a table: publish more time."),
}

FIELD_EXAMPLES = {
    # Request fields (Try it out shows these instead of strings generated from the no-NUL pattern).
    "SubmissionCreate.pitch": "First-in-class PD-1×VEGF bispecific, phase 2 in first-line NSCLC (48% ORR).",
    "MeetingRequest.subject": "LMN-2201: first discussion",
    "EventMeeting.subject": "LMN-2201: first discussion",
    "MeetingUpdate.subject": "LMN-2201: first discussion",
    "ScoreItem.score": "8",
    "Call.title_en": "Seeking oncology bispecifics and ADCs, phase 1 or later",
    "Call.title_zh": "寻求肿瘤领域双抗及抗体偶联药物（一期及以后）",
    "Call.company_name": "Northbridge Pharma",
    "Call.company_name_zh": "北桥制药",
    "Call.description_en": "Bispecific antibodies and ADCs in solid tumours, with US, EU and Japan rights.",
    "Call.description_zh": "实体瘤领域的双特异性抗体和抗体偶联药物，需美国、欧盟和日本权益。",
    "Call.territories": ["US", "DE", "FR", "JP"],
    "Submission.call_title": "Seeking oncology bispecifics and ADCs, phase 1 or later",
    "Submission.call_title_zh": "寻求肿瘤领域双抗及抗体偶联药物（一期及以后）",
    "Submission.company_name": "Shanghai Lumina Biotherapeutics",
    "Submission.pitch": "First-in-class PD-1×VEGF bispecific, phase 2 in first-line NSCLC (48% ORR).",
    "Submission.status_label": "Under review",
    "Submission.decline_reason_label": "",
    "Submission.decline_note": "",
    "Submission.info_request": "",
    "Criterion.code": "clinical_data",
    "Criterion.weight": "0.25",
    "Score.score": "7.5",
    "Event.slot_minutes": 30,
    "Criterion.name_en": "Clinical data",
    "Criterion.name_zh": "临床数据",
    "Score.comment": "Strong phase 2 response rate; durability still open.",
    "Evaluation.note": "First read after the call; ahead of the CDA.",
    "Meeting.context_type": "submission",
    "Meeting.subject": "LMN-2201: first discussion",
    "Meeting.location": "Video call (link in the invitation)",
    "Meeting.decline_reason": "",
    "Meeting.room": "",
    "Meeting.time_zone": "Asia/Shanghai",
    "CalendarFeed.url": "https://gpc.example/api/v1/calendar-feed/ics/?token=2f8Yq-…",
    "Event.name": "Boston Partnering Week",
    "Event.time_zone": "America/New_York",
    "Event.day_starts": "09:00:00",
    "Event.day_ends": "17:00:00",
    "Event.rooms": ["Table 1", "Table 2"],
}
