"""Partnering API: thin wiring from requests to selectors (restricted querysets) and services. By subject:
calls.py (calls, submissions, criteria, evaluations), meetings.py (meetings, the calendar feed, events)."""

from .calls import CallViewSet, CriterionViewSet, EvaluationViewSet, SubmissionViewSet
from .meetings import CalendarFeedThrottle, CalendarFeedViewSet, EventViewSet, MeetingViewSet

__all__ = [
    "CalendarFeedThrottle",
    "CalendarFeedViewSet",
    "CallViewSet",
    "CriterionViewSet",
    "EvaluationViewSet",
    "EventViewSet",
    "MeetingViewSet",
    "SubmissionViewSet",
]
