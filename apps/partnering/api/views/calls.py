"""Calls for assets, submissions, evaluation criteria and evaluations: wiring to selectors and services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog.search import MAX_QUERY_LENGTH
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet, ModeratedViewSet, ModerationServices
from apps.core.errors import PermissionRefused, ValidationFailed
from apps.core.search import query_tokens, token_match
from apps.partnering import selectors, services
from apps.partnering.api import serializers as s
from apps.partnering.models import (
    CallForAssets,
    Evaluation,
    EvaluationCriterion,
    Submission,
)


def _one(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationFailed(_("Give this parameter once."), fields={name: [_("Give this parameter once.")]})
    return values[0] if values else None


@extend_schema_view(
    retrieve=doc(summary=_("Read a call for assets"),
                 description=_("A call your company published (any state), an open call if you belong to a verified "
                               "biotech, or any call for staff. Other partners' calls read as not found.")),
    submit=doc(summary=_("Submit a call for moderation"),
               description=_("Sends a draft (or a call sent back for changes) to staff, who publish it or ask for "
                             "changes."),
               errors={409: ["invalid_transition"]}, request=None, responses={200: s.CallSerializer}),
    publish=doc(summary=_("Publish a submitted call (staff)"),
                description=_("Staff open a submitted call: verified biotechs can read and answer it, the calling "
                              "company is told, and biotechs with a matching published asset are notified."),
                errors={403: ["permission_denied"], 409: ["invalid_transition"]}, request=s.ReasonSerializer,
                responses={200: s.CallSerializer}),
    request_changes=doc(summary=_("Send a call back for changes (staff)"),
                        description=_("Staff return a submitted call with a reason the calling company reads."),
                        errors={403: ["permission_denied"], 409: ["invalid_transition"]},
                        request=s.RequiredReasonSerializer, responses={200: s.CallSerializer}),
)
class CallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ModeratedViewSet):
    """Calls for assets. The calling company reads its own in every state; verified biotechs read open calls;
    staff moderate. `q` searches titles and descriptions (English, Simplified and Traditional Chinese)."""

    model = CallForAssets
    serializer_class = s.CallSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": "change", "submit": "change"}
    moderation = ModerationServices("call", services.call_submit, services.call_publish, services.call_request_changes)

    def get_base_queryset(self) -> QuerySet:
        return CallForAssets.objects.select_related("company")

    @doc(summary=_("Browse calls for assets"),
         description=_("Open calls for verified biotechs, your own company's calls in every state, all calls for "
                       "staff. `q` searches titles and descriptions in English and Chinese (Simplified or "
                       "Traditional, short words such as 双抗 included); `status` filters."),
         parameters=[OpenApiParameter("q", str, required=False, description="Search words (max 200 characters)."),
                     OpenApiParameter("status", str, required=False)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        text = _one(request, "q")
        if text:
            if len(text) > MAX_QUERY_LENGTH:
                raise ValidationFailed(_("The search text is too long."), fields={"q": ["max 200"]})
            queryset = queryset.filter(token_match("partnering_callforassets", query_tokens(text)))
        state = _one(request, "status")
        if state:
            queryset = queryset.filter(status=state)
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page if page is not None else queryset, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _read(self, call: CallForAssets, code: int = status.HTTP_200_OK) -> Response:
        fresh = CallForAssets.objects.select_related("company").get(pk=call.pk)
        return Response(s.CallSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @doc(summary=_("Draft a call for assets"),
         description=_("Contributors of a verified pharma or investor company say what they look for (areas, "
                       "modalities, stages, territories, deal types), in English and/or Chinese, with a deadline. "
                       "The call starts as a draft: submit it for moderation next."),
         errors={403: ["not_a_partner"], 400: ["deadline_passed", "unknown_choice", "invalid_territory"]},
         request=s.CallWriteSerializer, responses={201: s.CallSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.CallWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        call = self.write_visible(lambda: services.call_create(actor=request.user, **serializer.validated_data))
        return self._read(call, status.HTTP_201_CREATED)

    @doc(summary=_("Edit a call for assets"),
         description=_("The calling company's contributors edit a draft, a call sent back for changes, or an open "
                       "call; send only the fields to change."),
         errors={409: ["not_editable"], 400: ["deadline_passed", "unknown_choice", "invalid_territory"]},
         request=s.CallWriteSerializer, responses={200: s.CallSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        serializer = s.CallWriteSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        # The calling company read back unchanged is no move: what the API answers, it accepts back.
        if fields.pop("company", call.company) != call.company:
            raise ValidationFailed(_("A call cannot move to another company."),
                                   fields={"company": [_("Cannot be changed.")]})
        return self._read(services.call_update(actor=request.user, call=call, **fields))

    @doc(summary=_("Close a call"),
         description=_("The calling company (or staff) closes a call: no new submissions; triage goes on."),
         errors={403: ["permission_denied"], 409: ["invalid_transition"]}, request=s.ReasonSerializer,
         responses={200: s.CallSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        call = self.get_object()
        serializer = s.ReasonSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        return self._read(services.call_close(actor=request.user, call=call,
                                              reason=serializer.validated_data.get("reason", "")))


@extend_schema_view(
    list=doc(summary=_("List submissions"),
             description=_("The calling company reads every submission to its calls; a biotech only its own company's "
                           "(never another's, never who else answered). Filter by `call` and `status`.")),
    retrieve=doc(summary=_("Read a submission"),
                 description=_("Its pitch and triage state; a decline carries its reason, labelled in your language.")),
)
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Answers to calls. The calling company reads every submission to its calls; a biotech only its own
    (bidder isolation: never another's, never who else answered)."""

    model = Submission
    serializer_class = s.SubmissionSerializer
    filterset_fields = ["call", "status"]
    action_permissions = {"triage": "triage", "withdraw": "withdraw"}

    def get_base_queryset(self) -> QuerySet:
        return Submission.objects.select_related("call", "asset", "company")

    def _read(self, submission: Submission, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_base_queryset().get(pk=submission.pk)
        return Response(s.SubmissionSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @doc(summary=_("Answer a call with an asset"),
         description=_("A contributor of a verified biotech submits one of its published assets to an open call, "
                       "with a short non-confidential pitch. The calling company is told."),
         errors={403: ["not_the_owner"], 409: ["call_closed", "not_published", "already_submitted"]},
         request=s.SubmissionCreateSerializer, responses={201: s.SubmissionSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.SubmissionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        submission = self.write_visible(
            lambda: services.submission_create(actor=request.user, **serializer.validated_data))
        return self._read(submission, status.HTTP_201_CREATED)

    @doc(summary=_("Triage a submission"),
         description=_("The calling company moves a submission to under review, more information requested (say "
                       "what), advanced (opens a data-room access request when the asset has a room) or declined "
                       "with a structured reason. The biotech is told in its language."),
         errors={409: ["invalid_transition"],
                 400: ["reason_required", "note_required", "decline_only", "info_request_required"]},
         request=s.TriageSerializer, responses={200: s.SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        serializer = s.TriageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(services.submission_triage(actor=request.user, submission=submission,
                                                     **serializer.validated_data))

    @doc(summary=_("Withdraw a submission"),
         description=_("The answering biotech withdraws a submission that is not yet advanced or declined."),
         errors={409: ["invalid_transition"]}, request=None, responses={200: s.SubmissionSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._read(services.submission_withdraw(actor=request.user, submission=self.get_object()))


@extend_schema_view(
    list=doc(summary=_("List your evaluation criteria"),
             description=_("Your company's criteria and weights (science, IP position, clinical data, regulatory path, "
                           "commercial fit by default). Nobody outside your company reads them, staff included.")),
    retrieve=doc(summary=_("Read an evaluation criterion"),
                 description=_("One of your company's criteria; anyone else's reads as not found.")),
)
class CriterionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """The caller's company's evaluation criteria and weights (defaults until edited). Nobody else's."""

    model = EvaluationCriterion
    serializer_class = s.CriterionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    @doc(summary=_("Add an evaluation criterion"),
         description=_("Contributors add a criterion with its weight (the defaults are copied first)."),
         errors={403: ["not_a_member"]}, request=s.CriterionCreateSerializer,
         responses={201: s.CriterionSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.CriterionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        criterion = self.write_visible(
            lambda: services.criterion_save(actor=request.user, **serializer.validated_data))
        return Response(s.CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Edit an evaluation criterion"),
         description=_("Change a criterion's names, weight or whether it counts; totals follow at once."),
         request=s.CriterionSerializer, responses={200: s.CriterionSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        criterion = self.get_object()
        serializer = s.CriterionSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "code"}
        return Response(s.CriterionSerializer(services.criterion_save(actor=request.user, criterion=criterion,
                                                                      **fields)).data)


@extend_schema_view(
    list=doc(summary=_("List your company's evaluations"),
             description=_("Only your company's private evaluations, with every member's scores, the weighted total "
                           "and the spread. Staff and every other company read none.")),
    retrieve=doc(summary=_("Read an evaluation"),
                 description=_("Your company's evaluation with scores and summary; anyone else's reads as not found.")),
)
class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Private evaluations: only the evaluating company ever reads them. Staff get counts only (`counts`)."""

    model = Evaluation
    serializer_class = s.EvaluationSerializer
    filterset_fields = ["asset", "submission"]

    def get_base_queryset(self) -> QuerySet:
        return Evaluation.objects.select_related("asset").prefetch_related("scores")

    @doc(summary=_("Open an evaluation"),
         description=_("Your team opens its private evaluation of an asset you can see, or of a submission to your "
                       "call. Then each member scores it."),
         errors={400: ["asset_or_submission"], 403: ["not_a_member", "own_asset"], 409: ["already_evaluated"]},
         request=s.EvaluationCreateSerializer, responses={201: s.EvaluationSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.EvaluationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        evaluation = self.write_visible(
            lambda: services.evaluation_create(actor=request.user, **serializer.validated_data))
        return Response(s.EvaluationSerializer(self.get_base_queryset().get(pk=evaluation.pk)).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("Score an evaluation"),
         description=_("You record your own score (0 to 10) and comment per criterion; a second call replaces them."),
         errors={400: ["unknown_criterion"]}, request=s.ScoresSerializer, responses={200: s.EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        serializer = s.ScoresSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.evaluation_score(actor=request.user, evaluation=evaluation,
                                  scores=[dict(item) for item in serializer.validated_data["scores"]])
        return Response(s.EvaluationSerializer(self.get_base_queryset().get(pk=evaluation.pk)).data)

    @doc(summary=_("Count evaluations (staff)"),
         description=_("Staff see how many evaluations exist, by how many companies, with how many scores: never a "
                       "company, an asset or a score."),
         errors={403: ["permission_denied"]}, responses={200: s.EvaluationCountsSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def counts(self, request: Request) -> Response:
        """Staff only: how many evaluations exist, by how many companies, with how many scores. Nothing else."""
        if not request.user.is_staff:
            raise PermissionRefused()
        return Response(selectors.evaluation_counts())
