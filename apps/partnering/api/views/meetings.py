"""Meetings, the personal calendar feed and partnering events: wiring to selectors and services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from apps.core.api.schema import AutoSchema, doc
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import NotFound, ValidationFailed
from apps.partnering import ics, services
from apps.partnering.api import serializers as s
from apps.partnering.models import (
    CalendarFeed,
    EventRegistration,
    Meeting,
    MeetingSlot,
    MeetingStatus,
    PartneringEvent,
)

from .calls import _one


@extend_schema_view(
    list=doc(summary=_("List your company's meetings"),
             description=_("Meetings of your company with another, with the proposed slots; every time is given in "
                           "UTC and in your own time zone (`*_local`). Filter by `status`, `context_type`, `event`.")),
    retrieve=doc(summary=_("Read a meeting"),
                 description=_("A meeting of your company; times in UTC and in your time zone.")),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Meetings between two companies about a shared context. Slots are stored in UTC and shown in the
    reader's zone (`*_local`)."""

    model = Meeting
    serializer_class = s.MeetingSerializer
    filterset_fields = ["status", "context_type", "event"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"accept": "respond", "propose": "respond", "decline": "respond", "cancel": "respond",
                          "partial_update": "respond"}

    def get_base_queryset(self) -> QuerySet:
        return Meeting.objects.prefetch_related("slots", "participants__user")

    def _read(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_base_queryset().get(pk=meeting.pk)
        return Response(s.MeetingSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @doc(summary=_("Request a meeting"),
         description=_("A contributor on one side of a shared context (an expression of interest, a call submission, "
                       "a data-room access request, an agreement) proposes 1 to 5 slots to the other side. Give "
                       "times with their UTC offset; they are stored in UTC."),
         errors={403: ["not_a_party"], 400: ["slot_count", "naive_time", "bad_slot", "slot_in_past",
                                              "not_a_member"]},
         request=s.MeetingRequestSerializer, responses={201: s.MeetingSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.MeetingRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["slots"] = [dict(slot) for slot in data["slots"]]
        meeting = self.write_visible(lambda: services.meeting_request(actor=request.user, **data))
        return self._read(meeting, status.HTTP_201_CREATED)

    @doc(summary=_("Update a confirmed meeting"),
         description=_("Either side changes the subject or the place: SEQUENCE rises and every participant receives "
                       "the updated calendar invitation."),
         errors={409: ["invalid_transition"]}, request=s.MeetingUpdateSerializer, responses={200: s.MeetingSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        serializer = s.MeetingUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(services.meeting_update(actor=request.user, meeting=meeting, **serializer.validated_data))

    @doc(summary=_("Accept a proposed slot"),
         description=_("The side whose turn it is accepts one slot (and names its participants): the meeting is "
                       "confirmed, everyone is booked and e-mailed an iCalendar invitation."),
         errors={409: ["invalid_transition", "participant_busy", "slot_in_past"], 400: ["unknown_slot"]},
         request=s.AcceptSerializer, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        serializer = s.AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = MeetingSlot.objects.filter(pk=serializer.validated_data["slot"], meeting=meeting).first()
        if slot is None:
            raise ValidationFailed(_("Choose one of the proposed slots."), code="unknown_slot",
                                   fields={"slot": [_("Not one of this meeting's slots.")]})
        return self._read(services.meeting_accept(actor=request.user, meeting=meeting, slot=slot,
                                                  participants=serializer.validated_data.get("participants")))

    @doc(summary=_("Propose other slots"),
         description=_("Either side proposes 1 to 5 other slots; the open ones lapse and the other side answers next."),
         errors={409: ["invalid_transition"], 400: ["slot_count", "naive_time", "bad_slot", "slot_in_past"]},
         request=s.ProposeSerializer, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        serializer = s.ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slots = [dict(slot) for slot in serializer.validated_data["slots"]]
        return self._read(services.meeting_propose(actor=request.user, meeting=meeting, slots=slots))

    @doc(summary=_("Decline a meeting"),
         description=_("The side whose turn it is declines, with a reason the other side reads."),
         errors={409: ["invalid_transition"]}, request=s.RequiredReasonSerializer, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        serializer = s.RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(services.meeting_decline(actor=request.user, meeting=meeting,
                                                   reason=serializer.validated_data["reason"]))

    @doc(summary=_("Cancel a meeting"),
         description=_("Either side cancels; bookings are released and participants of a confirmed meeting receive "
                       "an iCalendar cancellation (METHOD:CANCEL)."),
         errors={409: ["invalid_transition"]}, request=s.ReasonSerializer, responses={200: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        serializer = s.ReasonSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        return self._read(services.meeting_cancel(actor=request.user, meeting=meeting,
                                                  reason=serializer.validated_data.get("reason", "")))

    @doc(summary=_("Download a meeting's calendar file"),
         description=_("The meeting as an iCalendar file (METHOD:REQUEST, or CANCEL once cancelled), in your "
                       "language."),
         responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def ics(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The meeting as an iCalendar file (METHOD:REQUEST, or CANCEL once cancelled), in the reader's language."""
        meeting = self.get_object()
        if meeting.status not in (MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED):
            raise NotFound(_("This meeting has no calendar entry yet."))
        language = "zh-hans" if (getattr(request.user, "preferred_language", "") or "").startswith("zh") else "en"
        body = ics.invitation(meeting, language=language, cancel=meeting.status == MeetingStatus.CANCELLED)
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")


class CalendarFeedThrottle(AnonRateThrottle):
    """Calendar applications poll a feed every few minutes; guessing tokens needs far more (a 256-bit secret)."""

    scope = "calendar_feed"
    rate = "120/min"


def _feed_url(request: Request, feed: CalendarFeed) -> str:
    return f"{settings.SITE_URL}/api/v1/calendar-feed/ics/?token={feed.token}"


class _OneFeedSchema(AutoSchema):
    """`list` here answers the caller's one feed, an object: not the array drf-spectacular assumes for `list`."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class CalendarFeedViewSet(viewsets.ViewSet):
    """The caller's private calendar feed: its secret URL, a rotation that ends the old one at once, and the feed
    itself (reached with the token alone, for calendar applications)."""

    schema = _OneFeedSchema()

    @doc(summary=_("Your private calendar feed address"),
         description=_("The secret address of your calendar feed (created on first use): subscribe to it in your "
                       "calendar application. Keep it private; rotate it if it leaks."),
         responses={200: s.CalendarFeedSerializer})
    def list(self, request: Request) -> Response:
        feed = services.calendar_feed_of(request.user)
        return Response({"url": _feed_url(request, feed), "rotated_at": feed.rotated_at})

    @doc(summary=_("Rotate your calendar feed address"),
         description=_("A new secret address; the old one stops working at once."),
         request=None, responses={200: s.CalendarFeedSerializer})
    @action(detail=False, methods=["post"])
    def rotate(self, request: Request) -> Response:
        feed = services.calendar_feed_rotate(actor=request.user)
        return Response({"url": _feed_url(request, feed), "rotated_at": feed.rotated_at})

    @doc(summary=_("Read a calendar feed"),
         description=_("For calendar applications: the feed's owner's confirmed and cancelled meetings as iCalendar. "
                       "The token in the address is the only credential; a wrong one is not found."),
         parameters=[OpenApiParameter("token", str, required=True)], errors={404: ["not_found"]},
         responses={(200, "text/calendar"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], permission_classes=[AllowAny], authentication_classes=[],
            throttle_classes=[CalendarFeedThrottle])
    def ics(self, request: Request) -> HttpResponse:
        token = _one(request, "token") or ""
        feed = CalendarFeed.objects.select_related("user").filter(token=token).first() if len(token) >= 32 else None
        if feed is None or not feed.user.is_active:
            raise NotFound()
        meetings = (Meeting.objects.for_user(feed.user, "view")
                    .filter(participants__user=feed.user,
                            status__in=[MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED])
                    .select_related("requester_company", "invitee_company").order_by("starts_at").distinct())
        return HttpResponse(ics.feed_calendar(feed.user, meetings), content_type="text/calendar; charset=utf-8")


@extend_schema_view(
    list=doc(summary=_("List partnering events"),
             description=_("Events members of verified companies can register for.")),
    retrieve=doc(summary=_("Read a partnering event"),
                 description=_("Its days, local hours and time zone, slot length and tables.")),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Partnering events. Staff create them; members of verified companies read them, register their company,
    publish its availability and request meetings, which are placed into mutually free slots."""

    model = PartneringEvent
    serializer_class = s.EventSerializer

    @doc(summary=_("Create a partnering event (staff)"),
         description=_("Staff set the days, the local meeting hours in the event's time zone, the slot length and the "
                       "rooms or tables."),
         errors={400: ["invalid_time_zone", "reversed_range"]},
         request=s.EventSerializer, responses={201: s.EventSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.event_create(actor=request.user, **serializer.validated_data)
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Register your company for an event"),
         description=_("A contributor registers the company and becomes its delegate; publish availability next."),
         errors={403: ["not_a_member"], 409: ["already_registered"]},
         request=None, responses={201: s.EventRegistrationSerializer})
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        registration = services.event_register(actor=request.user, event=self.get_object())
        return Response(s.EventRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Publish your availability at an event"),
         description=_("The windows (with UTC offsets) in which your company takes meetings, replacing earlier ones."),
         errors={403: ["permission_denied"], 400: ["not_registered", "bad_window", "naive_time"]},
         request=s.AvailabilitySerializer, responses={200: s.EventRegistrationSerializer})
    @action(detail=True, methods=["post"])
    def availability(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        registration = (EventRegistration.objects.for_user(request.user, "view").filter(event=event)
                        .order_by("pk").first())
        if registration is None:
            raise ValidationFailed(_("Register your company first."), code="not_registered")
        serializer = s.AvailabilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.event_availability_set(
            actor=request.user, registration=registration,
            windows=[dict(window) for window in serializer.validated_data["windows"]])
        return Response(s.EventRegistrationSerializer(registration).data)

    @doc(summary=_("Request a meeting at an event"),
         description=_("Placed at once in the first slot free for both companies, both delegates and a table, and "
                       "confirmed; nobody is ever booked into two meetings at once."),
         errors={403: ["not_registered"], 400: ["not_registered"], 409: ["no_common_slot"]},
         request=s.EventMeetingSerializer, responses={201: s.MeetingSerializer})
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        serializer = s.EventMeetingSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        meeting = services.event_meeting_schedule(actor=request.user, event=event, **serializer.validated_data)
        fresh = Meeting.objects.prefetch_related("slots", "participants__user").get(pk=meeting.pk)
        return Response(s.MeetingSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
