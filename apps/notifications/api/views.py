"""The reader's API: their own notifications and preferences, nobody else's (Notification.access_q)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.filters import FilterBackend, FilterSet
from apps.core.api.pagination import CursorPagination
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import NotFound
from apps.notifications import selectors, services
from apps.notifications.api.serializers import (
    MarkAllReadSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    PreferenceUpdateSerializer,
    UnreadCountSerializer,
)
from apps.notifications.kinds import get_kind, is_registered
from apps.notifications.models import Notification, NotificationPreference


class NotificationPagination(CursorPagination):
    # Rows of one fan-out share a created_at; the id is unique and grows with insertion.
    ordering = "-id"


class NotificationFilter(FilterSet):
    # A choice, not a BooleanFilter: that one reads "perhaps" as "no filter"; here it is a 400.
    unread = filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method="filter_unread",
                                  label=_("Only unread (true) or only read (false)"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(read_at__isnull=value == "true")


@extend_schema_view(
    list=doc(
        summary=_("List your notifications"),
        description=_(
            "What happened that concerns you, newest first, in the language of your profile. Pages are a cursor: "
            "follow `next` until it is null. `?unread=true` gives only the unread ones, `?kind=` one kind. "
            "`target_type` and `target_id` name the object it is about (e.g. `datarooms.dataroom` 42); `url` "
            "opens it in the web application."
        ),
    ),
    retrieve=doc(summary=_("Read a notification"), description=_("One of your notifications. Reading it here does "
                                                                  "not mark it read: `POST .../read/` does.")),
    unread_count=doc(summary=_("Count your unread notifications"),
                     description=_("The number of your notifications not yet marked read, for a badge.")),
    read=doc(summary=_("Mark a notification read"),
             description=_("Marks one of your notifications read (again: no error) and answers it.")),
    read_all=doc(summary=_("Mark all your notifications read"),
                 description=_("Marks every unread notification of yours read and answers how many were marked.")),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Your notifications, newest first (cursor pagination, `?unread=true`)."""

    model = Notification
    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    filter_backends = [FilterBackend]  # the guarded backend: `?kind=a&kind=b` is a 400, not "the last one wins"
    filterset_class = NotificationFilter
    action_permissions = {"read": "change"}

    def get_base_queryset(self) -> QuerySet:
        return Notification.objects.select_related("target_type")

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(user=request.user)})

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: MarkAllReadSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.notification_mark_all_read(actor=request.user)})


@extend_schema_view(
    list=doc(
        summary=_("List your notification preferences"),
        description=_(
            "For every kind of event you can be told about: its name in your language, how you hear about it "
            "(`in_app` only, `email` at once, or a `digest` once a day), the default, and whether you chose."
        ),
    ),
    update=doc(
        summary=_("Choose how you hear about one kind of event"),
        description=_(
            "Sets the delivery for one kind (the `kind` of the list) and answers the preference as the list shows "
            "it. A kind that does not exist, or takes no preference, answers 404."
        ),
    ),
)
class NotificationPreferenceViewSet(GuardedViewSet):
    """How you hear about each kind of event: in the app only, e-mail at once, or a daily digest."""

    model = NotificationPreference
    serializer_class = PreferenceSerializer
    pagination_class = None
    filter_backends: list = []
    lookup_field = "kind"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "put", "head", "options"]

    @extend_schema(responses={200: PreferenceSerializer(many=True)})
    def list(self, request: Request) -> Response:
        rows = [
            {"kind": kind.code, "title": str(kind.label or kind.code), "delivery": delivery,
             "default_delivery": kind.default_delivery, "is_default": not chosen}
            for kind, delivery, chosen in selectors.preferences_for(user=request.user)
        ]
        return Response(PreferenceSerializer(rows, many=True).data)

    @extend_schema(request=PreferenceUpdateSerializer, responses={200: PreferenceSerializer},
                   parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH)])
    def update(self, request: Request, kind: str) -> Response:
        # The kind is the resource in the path: one that does not exist (or takes no preference) is a 404.
        if not is_registered(kind) or not get_kind(kind).in_app:
            raise NotFound(_("Unknown notification kind."), fields={"kind": [_("Unknown notification kind.")]})
        serializer = PreferenceUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.preference_set(actor=request.user, kind=kind,
                                             delivery=serializer.validated_data["delivery"])
        definition = get_kind(preference.kind)
        return Response(PreferenceSerializer({
            "kind": preference.kind, "title": str(definition.label or definition.code),
            "delivery": preference.delivery, "default_delivery": definition.default_delivery,
            "is_default": False,
        }).data)
