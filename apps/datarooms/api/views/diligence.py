"""Diligence: questions and answers (each partner its own, plus the FAQ) and the download trace the room's
managers follow from a download id."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.companies.models import company_ids_of
from apps.core.api.viewsets import GuardedViewSet

from ... import services
from ...models import (
    DocumentAccess,
    Question,
)
from .. import docs
from .. import serializers as s

# --- Q&A ------------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.QUESTIONS)
class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Diligence questions: each partner sees its own and the published FAQ, never another partner's."""

    model = Question
    serializer_class = s.RoomQuestionSerializer
    filterset_fields = ["room", "document", "is_faq"]
    ordering_fields = ["created_at", "answered_at", "company", "asked_by"]
    action_permissions = {"answer": "answer", "publish": "publish"}

    def get_base_queryset(self) -> Any:
        return Question.objects.select_related("room")

    def fields_hidden_from_reader(self) -> set[str]:
        # Who asked is shown to the room's insiders and to the asking company only (RoomQuestionSerializer): a
        # partner who can list another partner's FAQ entry may neither order nor filter by who asked.
        user = self.request.user
        if user.is_staff:
            return set()
        mine = company_ids_of(user)
        others = self.get_queryset().exclude(company_id__in=mine).exclude(room__owner_company_id__in=mine)
        return {"company", "asked_by"} if others.exists() else set()

    @extend_schema(request=s.RoomQuestionCreateSerializer, responses={201: s.RoomQuestionSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomQuestionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = data.validated_data["room"]
        document = data.validated_data.get("document")
        question = services.question_ask(actor=request.user, room=room, document=document,
                                         text=data.validated_data["text"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomAnswerSerializer, responses={200: s.RoomQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        question = self.get_object()
        data = s.RoomAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_answer(actor=request.user, question=question, answer=data.validated_data["answer"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data)

    @extend_schema(request=s.RoomPublishSerializer, responses={200: s.RoomQuestionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Publish (or withdraw) the answered question as a FAQ entry for every partner, anonymously."""
        question = self.get_object()
        data = s.RoomPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_publish(actor=request.user, question=question,
                                             publish=data.validated_data["publish"])
        return Response(s.RoomQuestionSerializer(question, context={"request": request}).data)


@extend_schema_view(**docs.DOWNLOADS)
class DownloadTraceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """A download id (printed on every watermarked page) leads the room's managers to who took what, when."""

    model = DocumentAccess
    serializer_class = s.RoomDownloadTraceSerializer
    lookup_field = "download_id"
    filterset_fields = ["room", "document", "company", "kind"]
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> Any:
        return DocumentAccess.objects.select_related("user", "company", "version")
