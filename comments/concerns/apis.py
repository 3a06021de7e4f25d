"""REST API of concerns: the public record (read by anyone) and the commission's work on it (its members only).

Views parse, call one service or selector, and shape; who may act is the services' rule.
"""
from __future__ import annotations

import dataclasses

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from comments.concerns import exports, selectors, services, tables
from comments.filters import CommentFilter
from comments.models import Comment, Concern, ConcernEvent, NormReference
from config.api.negotiation import FileContentNegotiation
from config.api.openapi import field_examples
from config.api.throttles import with_export_throttle
from config.errors import NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.selectors import participant_display_name
from drafts.diff import OPS
from drafts.models import Document, Provision


@field_examples(label="ICCPR art. 18(3)", url="https://www.ohchr.org/en/instruments-mechanisms/instruments/international-covenant-civil-and-political-rights")
class NormSerializer(serializers.ModelSerializer):
    class Meta:
        model = NormReference
        fields = ["label", "url"]
        extra_kwargs = {
            "label": {"help_text": "The norm the decision relies on, as cited."},
            "url": {"help_text": "Where to read it; may be empty."},
        }


@field_examples(
    id=301, actor="Commission Member", from_status="under_review", to_status="accepted", reason="",
    decision={"status": "accepted", "rationale": "The grounds are now those the ICCPR allows.", "resolved_in": 9, "changes": [812]},
    receipt="TARVANIA-2026-0000057", created_at="2026-02-20T11:00:00+05:00",
)
class ConcernEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField(help_text="The public name of who made the transition.")
    receipt = serializers.SerializerMethodField(help_text="The tracking number of the decision's receipt; null for other transitions.")

    class Meta:
        model = ConcernEvent
        fields = ["id", "actor", "from_status", "to_status", "reason", "decision", "receipt", "created_at"]
        extra_kwargs = {
            "id": {"help_text": "The event's id."},
            "from_status": {"help_text": "The status before."},
            "to_status": {"help_text": "The status after."},
            "reason": {"help_text": "Why, in the actor's words."},
            "decision": {"help_text": "For a decision: what its receipt hashed (status, rationale, the resolving version's id, changes, comments, norms)."},
            "created_at": {"help_text": "When."},
        }

    def get_actor(self, event) -> str:
        return participant_display_name(event.actor)

    def get_receipt(self, event) -> str | None:
        receipt = getattr(event, "receipt", None)
        return receipt.number if receipt else None


@field_examples(
    id=57, consultation="tarvania-2026", document="constitution", title="Restrictions on 'spiritual and moral values'",
    summary="Many ask that rights be restricted only on the grounds the ICCPR allows.", status="accepted",
    rationale="The grounds are now those the ICCPR allows.", raised_in=7, raised_in_number=1, resolved_in=9, resolved_in_number=2,
    comment_count=318, created_at="2026-01-20T10:00:00+05:00", decided_at="2026-02-20T11:00:00+05:00", merged_into=None,
)
class ConcernSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The consultation's slug.")
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The document's slug.")
    raised_in = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The id of the version it was raised on.")
    raised_in_number = serializers.IntegerField(source="raised_in.number", read_only=True, help_text="That version's number.")
    resolved_in = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the version that carries its resolution (as `decide` takes it), or null.",
    )
    resolved_in_number = serializers.IntegerField(
        source="resolved_in.number", read_only=True, allow_null=True, default=None, help_text="That version's number, or null.",
    )
    norms = NormSerializer(many=True, read_only=True, help_text="The norms its decision relies on.")
    comment_count = serializers.IntegerField(read_only=True, default=None, help_text="How many comments are behind it.")
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The concern this one was merged into (then it is withdrawn), or null."
    )

    class Meta:
        model = Concern
        fields = [
            "id", "consultation", "document", "title", "summary", "status", "rationale", "raised_in", "raised_in_number",
            "resolved_in", "resolved_in_number", "norms", "comment_count", "created_at", "decided_at", "merged_into",
        ]
        extra_kwargs = {
            "id": {"help_text": "The concern's id."},
            "title": {"help_text": "What the comments behind it ask for, in a line."},
            "summary": {"help_text": "What they ask for, at more length."},
            "status": {"help_text": "Where it stands: open, under review, then decided or withdrawn."},
            "rationale": {"help_text": "The commission's reasons for its decision."},
            "created_at": {"help_text": "When it was raised."},
            "decided_at": {"help_text": "When it was decided; null until then."},
        }


@field_examples(comments=[4521, 4533, 4540], lineages=[311], changes=[812])
class ConcernDetailSerializer(ConcernSerializer):
    comments = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="The ids of the comments behind it.")
    lineages = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="The ids of the provisions' lineages it is about.")
    changes = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="The ids of the changes of words that carry its resolution.")
    events = ConcernEventSerializer(many=True, read_only=True, help_text="Every transition, oldest first.")

    class Meta(ConcernSerializer.Meta):
        fields = [*ConcernSerializer.Meta.fields, "comments", "lineages", "changes", "events"]


def _ids(**kwargs) -> serializers.ListField:
    """A list of database ids: positive 64-bit integers, at most 10,000 of them."""
    return serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=10_000, **kwargs)


@field_examples(
    consultation="tarvania-2026", title="Restrictions on 'spiritual and moral values'",
    summary="Many ask that rights be restricted only on the grounds the ICCPR allows.", comments=[4521, 4533], lineages=[311],
)
class ConcernCreateSerializer(serializers.Serializer):
    consultation = serializers.SlugField(help_text="The consultation's slug.")
    title = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=services.TITLE_MAX_LENGTH, help_text="What the comments ask for, in a line."
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="", help_text="What they ask for, at more length.")
    comments = _ids(required=False, default=list, help_text="The ids of the comments behind it.")
    lineages = _ids(required=False, default=list, help_text="The ids of the provisions' lineages it is about (besides its comments').")


@field_examples(comments=[4540, 4551])
class CommentIdsSerializer(serializers.Serializer):
    comments = _ids(allow_empty=False, help_text="The ids of the comments to put behind the concern.")


@field_examples(status="under_review", reason="The commission takes it up.")
class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Concern.Status.choices, help_text="The status to move to (open, under_review, withdrawn).")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why, shown in its history.")


@field_examples(
    status="accepted", rationale="The grounds are now those the ICCPR allows.", resolved_in=9, changes=[812],
    norms=[{"label": "ICCPR art. 18(3)", "url": ""}], revises=False,
)
class DecisionSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="accepted, partially_accepted, rejected or out_of_scope.")
    rationale = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=services.RATIONALE_MAX_LENGTH, help_text="The commission's reasons, in public."
    )
    resolved_in = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True, default=None, help_text="The id of the version that carries it.",
    )
    changes = _ids(required=False, default=list, help_text="The ids of the changes (of that version) that carry it.")
    norms = NormSerializer(many=True, required=False, default=list, help_text="The norms it relies on.")
    revises = serializers.BooleanField(required=False, default=False, help_text="Decide again an already decided concern.")


@field_examples(comment=4562, reason="A thank-you: nothing to answer.")
class NoAnswerSerializer(serializers.Serializer):
    comment = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The comment's id.")
    reason = serializers.CharField(allow_blank=True, max_length=services.NO_ANSWER_REASON_MAX_LENGTH, help_text="Why it needs no separate answer.")


@field_examples(accounted=1180, total=1250, share=0.944)
class AccountedForSerializer(serializers.Serializer):
    accounted = serializers.IntegerField(help_text="How many comments are behind a concern or marked as needing no answer.")
    total = serializers.IntegerField(help_text="How many comments are owed an answer.")
    share = serializers.FloatField(help_text="accounted / total, from 0 to 1.")


@field_examples(op="replace", old="spiritual and moral values", new="public health or public morals")
class DiffRunSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=OPS, help_text="equal, insert, delete or replace.")
    old = serializers.CharField(help_text="The run's words in the old text.")
    new = serializers.CharField(help_text="The run's words in the new text.")


@field_examples(
    id=812, kind="modified", level="paragraph", similarity=0.82, old_paths=["II/25/1"], new_paths=["II/25/1"],
    old_text="…on grounds of spiritual and moral values.", new_text="…on grounds of public health or public morals.", suggested=True,
)
class ChangeSuggestionSerializer(serializers.Serializer):
    """A change of words that may carry a concern's decision: its kind, the provisions on each side, the words and their diff."""

    id = serializers.IntegerField(source="change.pk", help_text="The change's id (as `decide` takes it in `changes`).")
    kind = serializers.CharField(source="change.kind", help_text="unchanged, modified, renumbered, moved, split, merged, added or removed.")
    level = serializers.CharField(source="change.level", help_text="container, article or paragraph.")
    similarity = serializers.FloatField(source="change.similarity", help_text="How alike the old and new words are, from 0 to 1.")
    old_paths = serializers.SerializerMethodField(help_text="The paths of its provisions in the earlier version.")
    new_paths = serializers.SerializerMethodField(help_text="The paths of its provisions in the later version.")
    old_text = serializers.CharField(help_text="The earlier words.")
    new_text = serializers.CharField(help_text="The later words.")
    diff = DiffRunSerializer(many=True, help_text="The word diff, run by run.")
    suggested = serializers.SerializerMethodField(help_text="Whether the decision form checks it at first: every suggestion that changed words.")

    def get_old_paths(self, row) -> list[str]:
        return [provision.path for provision in row.old]

    def get_new_paths(self, row) -> list[str]:
        return [provision.path for provision in row.new]

    def get_suggested(self, row) -> bool:
        return row.change.kind != row.change.Kind.UNCHANGED


@field_examples(concerns=[58, 61], reason="The same point.")
class MergeSerializer(serializers.Serializer):
    concerns = _ids(help_text="The ids of the concerns merged into this one: they are withdrawn and point to it.")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.RATIONALE_MAX_LENGTH, help_text="Why, shown in their histories."
    )


@field_examples(comments=[4533, 4540], title="The right of assembly", summary="")
class SplitSerializer(serializers.Serializer):
    comments = _ids(help_text="The ids of the comments behind this concern that make another point: the new concern's.")
    title = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=services.TITLE_MAX_LENGTH, help_text="The new concern's title.")
    summary = serializers.CharField(required=False, allow_blank=True, default="", help_text="The new concern's summary.")


class VersionQuerySerializer(serializers.Serializer):
    """A version named by its id (`version`, as everywhere in the API) or by its number (`version_number`)."""

    version = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    version_number = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)

    def validate(self, data):
        if len(data) != 1:
            message = _("Give a version's id (?version=) or its number (?version_number=).")
            raise serializers.ValidationError({"version": [message]})
        return {"version_id": data["version"]} if "version" in data else {"number": data["version_number"]}


class GroupingsQuerySerializer(serializers.Serializer):
    consultation = serializers.SlugField()
    document = serializers.SlugField(required=False, allow_blank=True, default="")
    provision = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1)
    threshold = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0.1, max_value=1.0)


@field_examples(size=212, template="I ask that rights be restricted only on the grounds the ICCPR allows.", comments=[4521, 4533, 4540])
class TriageGroupSerializer(serializers.Serializer):
    size = serializers.IntegerField(help_text="How many comments it has.")
    template = serializers.CharField(help_text="The words the group's comments share.")
    comments = serializers.ListField(source="comment_ids", child=serializers.IntegerField(), help_text="Comment ids, ascending.")


@field_examples(threshold=0.5, considered=2000, total=2315, cap=2000, capped=True)
class TriageGroupingsSerializer(serializers.Serializer):
    threshold = serializers.FloatField(help_text="The least Jaccard similarity of word pairs within a group.")
    considered = serializers.IntegerField(help_text="How many comments were grouped: the most recent of the queue, at most `cap`.")
    total = serializers.IntegerField(help_text="How many comments are in the queue (of the document or provision, if given).")
    cap = serializers.IntegerField(help_text="The most comments grouped at once.")
    capped = serializers.BooleanField(help_text="Whether only the `cap` most recent comments were grouped.")
    groups = TriageGroupSerializer(many=True, help_text="Largest first.")


CONSULTATION = OpenApiParameter("consultation", str, required=True, description="The consultation's slug.")


class ConcernViewSet(viewsets.GenericViewSet):
    """Concerns: what groups of comments asked for and what the commission decided, with every transition."""

    serializer_class = ConcernSerializer
    queryset = Concern.objects.none()
    lookup_value_regex = r"\d{1,18}"  # anything else is no concern: a 404 from the router, never int() failing

    @extend_schema(
        parameters=[CONSULTATION, OpenApiParameter("status", str, enum=Concern.Status.values, description="Only concerns of this status.")],
        responses=ConcernSerializer(many=True),
    )
    def list(self, request):
        consultation = consult_selectors.consultation_get(slug=request.query_params.get("consultation", ""))
        concerns = selectors.concern_list(consultation=consultation, status=request.query_params.get("status") or None)
        page = self.paginate_queryset(concerns)
        return self.get_paginated_response(ConcernSerializer(page, many=True).data)

    @extend_schema(responses=ConcernDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=int(pk))).data)

    @extend_schema(request=ConcernCreateSerializer, responses={201: ConcernDetailSerializer})
    def create(self, request):
        """Commission only: raise a concern from comments (and/or provisions' lineages)."""
        data = _valid(ConcernCreateSerializer, request)
        consultation = consult_selectors.consultation_get(slug=data["consultation"])
        concern = services.concern_create(
            actor=request.user, consultation_id=consultation.pk, title=data["title"], summary=data["summary"],
            comment_ids=data["comments"], lineage_ids=data["lineages"],
        )
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=concern.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentIdsSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Commission only: put more comments behind the concern (idempotent)."""
        data = _valid(CommentIdsSerializer, request)
        services.concern_comments_add(actor=request.user, concern_id=int(pk), comment_ids=data["comments"])
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=int(pk))).data)

    @extend_schema(request=TransitionSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Commission only: open ⇄ under review, withdraw, reopen. Decisions go through `decide`."""
        data = _valid(TransitionSerializer, request)
        services.concern_transition(actor=request.user, concern_id=int(pk), to_status=data["status"], reason=data["reason"])
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=int(pk))).data)

    @extend_schema(request=DecisionSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Commission only: decide with a rationale; the decision becomes a link of the receipt chain."""
        data = _valid(DecisionSerializer, request)
        services.concern_decide(
            actor=request.user, concern_id=int(pk), status=data["status"], rationale=data["rationale"],
            resolved_in_id=data["resolved_in"], change_ids=data["changes"], revises=data["revises"],
            norms=[services.NormInput(norm["label"], norm.get("url", "")) for norm in data["norms"]],
        )
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=int(pk))).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="The id of a later version of the concern's document (as `resolved_in` holds it)."),
            OpenApiParameter("version_number", int, description="Or that version's number, e.g. 2."),
        ],
        responses=ChangeSuggestionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="change-suggestions", pagination_class=None)
    def change_suggestions(self, request, pk=None):
        """Commission only: the changes of `version` (from the version before it) that may carry the decision, to confirm in `decide`."""
        concern = selectors.concern_get(concern_id=int(pk))
        if not consult_selectors.can_act_for_commission(user=request.user, consultation=concern.consultation):
            raise PermissionDenied(_("Only the commission of this consultation works on its concerns."), code="not_commission")
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        version = selectors.concern_later_version(concern=concern, **query.validated_data)
        changes = selectors.concern_change_suggestions(concern=concern, version=version)
        return Response(ChangeSuggestionSerializer(selectors.concern_change_rows(changes=changes), many=True).data)

    @extend_schema(request=MergeSerializer, responses=ConcernDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Commission only: merge the concerns named into this one; their comments move here, they are withdrawn and point here."""
        data = _valid(MergeSerializer, request)
        services.concern_merge(actor=request.user, concern_id=int(pk), merged_ids=data["concerns"], reason=data["reason"])
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=int(pk))).data)

    @extend_schema(request=SplitSerializer, responses={201: ConcernDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        """Commission only: raise a new concern from some of this one's comments, which leave it. Answers the new concern."""
        data = _valid(SplitSerializer, request)
        new = services.concern_split(
            actor=request.user, concern_id=int(pk), comment_ids=data["comments"], title=data["title"], summary=data["summary"]
        )
        return Response(ConcernDetailSerializer(selectors.concern_get(concern_id=new.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            CONSULTATION, OpenApiParameter("document", str, description="A document's slug."),
            OpenApiParameter("provision", int, description="A provision id: it and those below it."),
            OpenApiParameter("threshold", float, description="The least similarity within a group, 0.1 to 1 (default 0.5)."),
        ],
        responses=TriageGroupingsSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def groupings(self, request):
        """Commission only: suggested groupings of the comments not yet accounted for, by lexical similarity, largest first."""
        query = GroupingsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        consultation = consult_selectors.consultation_get(slug=data["consultation"])
        if not consult_selectors.can_act_for_commission(user=request.user, consultation=consultation):
            raise PermissionDenied(_("Only the commission of this consultation triages its comments."), code="not_commission")
        scope = selectors.triage_scope(consultation=consultation, document_slug=data["document"], provision_id=data["provision"])
        groupings = selectors.triage_groupings(
            consultation=consultation, document=scope.document, provision=scope.provision, threshold=data["threshold"]
        )
        return Response(TriageGroupingsSerializer(groupings).data)

    @extend_schema(request=NoAnswerSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="no-answer")
    def no_answer(self, request):
        """Commission only: mark a comment as needing no separate answer, with the reason."""
        data = _valid(NoAnswerSerializer, request)
        services.comment_mark_no_answer(actor=request.user, comment_id=data["comment"], reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[CONSULTATION, OpenApiParameter("document", str, description="A document's slug."),
                    OpenApiParameter("provision", int, description="A provision id: it and those below it.")],
        responses=AccountedForSerializer,
    )
    @action(detail=False, methods=["get"], url_path="accounted-for", pagination_class=None)
    def accounted_for(self, request):
        """How many comments are accounted for (behind a concern, or marked as needing no answer), of how many."""
        consultation = consult_selectors.consultation_get(slug=request.query_params.get("consultation", ""))
        document = provision = None
        if request.query_params.get("document"):
            document = Document.objects.filter(slug=request.query_params["document"], consultation_links__consultation=consultation).first()
            if document is None:
                raise NotFound(f"No document {request.query_params['document']!r} in this consultation.")
        if request.query_params.get("provision"):
            provision_id = request.query_params["provision"]
            provision = Provision.objects.filter(pk=int(provision_id)).first() if provision_id.isdigit() and len(provision_id) < 19 else None
            if provision is None:
                raise NotFound(f"No provision {provision_id!r}.")
        figures = selectors.comments_accounted_for(consultation=consultation, document=document, provision=provision)
        return Response(AccountedForSerializer(figures).data)


def _valid(serializer_class, request) -> dict:
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


# --- the tables, as files ---------------------------------------------------------------------------

TABLE_FORMATS = {"csv": "text/csv; charset=utf-8", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "json": "application/json"}


@field_examples(
    title="Summary of comments: Draft Constitution of Tarvania, 2026", columns=["element", "author", "receipt", "comment", "decision", "reasoning"],
    rows=[{"element": "Article 25, paragraph 1", "author": "Aigerim S.", "receipt": "TARVANIA-2026-0000042",
           "comment": "Restrictions should be limited to the grounds the ICCPR allows.", "decision": "Accepted",
           "reasoning": "The grounds are now those the ICCPR allows."}],
)
class TableSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The table's title, in the reader's language.")
    columns = serializers.ListField(child=serializers.CharField(), help_text="The columns' keys, in order.")
    rows = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), help_text="One object per row, by column key.")


FORMAT = OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(TABLE_FORMATS), description="csv, docx or json.")
TABLE_RESPONSES = {
    (200, "application/json"): TableSerializer,
    (200, "text/csv"): OpenApiTypes.STR,
    (200, TABLE_FORMATS["docx"]): OpenApiTypes.BINARY,
}


SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The consultation's slug.")


class _TableExportView(GenericAPIView):
    """A table as a file: whatever the client accepts, the file of the format in the path (errors in JSON)."""

    permission_classes = [permissions.AllowAny]
    content_negotiation_class = FileContentNegotiation
    pagination_class = None
    filter_backends = []
    throttle_classes = with_export_throttle()  # a whole consultation per request: a few per hour and address


class SummaryTableExportView(_TableExportView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CommentFilter

    def get_queryset(self):
        return Comment.objects.all()

    @extend_schema(operation_id="consultations_tables_summary", parameters=[SLUG, FORMAT], responses=TABLE_RESPONSES, filters=True)
    def get(self, request, slug: str, fmt: str):
        """The summary of comments (element | author | receipt | comment | decision | reasoning) as CSV, .docx or JSON; a
        campaign is one row. It takes the comment list's filters: the table of the comments on one version, provision…"""
        _check_format(fmt)
        consultation = consult_selectors.consultation_get(slug=slug)
        within = self.filter_queryset(self.get_queryset().filter(consultation=consultation))
        rows = tables.summary_table(consultation=consultation, within=within)
        title = _("Summary of comments: %(consultation)s") % {"consultation": consultation.title}
        return _table_response(fmt, f"{slug}-summary", title, tables.SUMMARY_COLUMNS, rows)


class ComparativeTableExportView(_TableExportView):
    @extend_schema(
        operation_id="consultations_tables_comparative",
        parameters=[
            SLUG, OpenApiParameter("document_slug", str, OpenApiParameter.PATH, description="The document's slug."),
            OpenApiParameter("old_number", int, OpenApiParameter.PATH, description="The earlier version's number."),
            OpenApiParameter("new_number", int, OpenApiParameter.PATH, description="The later version's number."), FORMAT,
        ],
        responses=TABLE_RESPONSES,
    )
    def get(self, request, slug: str, document_slug: str, old_number: int, new_number: int, fmt: str):
        """The comparative table of two versions (element | old wording | new wording | concerns addressed | rationale)."""
        _check_format(fmt)
        consultation = consult_selectors.consultation_get(slug=slug)
        alignment = selectors.alignment_done_for(
            consultation=consultation, document_slug=document_slug, old_number=old_number, new_number=new_number
        )
        rows = tables.comparative_table(alignment=alignment)
        title = _("Comparative table: %(document)s, %(old)s → %(new)s") % {
            "document": alignment.new_version.document.title, "old": alignment.old_version.label, "new": alignment.new_version.label,
        }
        return _table_response(fmt, f"{slug}-{document_slug}-v{old_number}-v{new_number}", title, tables.COMPARATIVE_COLUMNS, rows)


summary_table_export = SummaryTableExportView.as_view()
comparative_table_export = ComparativeTableExportView.as_view()


def _check_format(fmt: str) -> None:
    if fmt not in TABLE_FORMATS:
        raise NotFound(_("Tables are available as %(formats)s.") % {"formats": ", ".join(TABLE_FORMATS)})


def _table_response(fmt: str, filename: str, title: str, columns, rows):
    if fmt == "csv":
        lines = _in_language(translation.get_language(), exports.table_csv_lines(columns, rows))
        response = StreamingHttpResponse(lines, content_type=TABLE_FORMATS["csv"])
    elif fmt == "docx":
        response = HttpResponse(exports.table_docx(title=title, columns=columns, rows=rows), content_type=TABLE_FORMATS["docx"])
    else:
        return JsonResponse({"title": title, "columns": list(columns), "rows": [dataclasses.asdict(row) for row in rows]})
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _in_language(language: str, lines):
    """Stream `lines` in the request's language: a streamed body is produced after the view returns, maybe in
    another thread (ASGI), where the language the page switch chose is no longer active; the column titles,
    decisions and statuses would then come out in the default language."""
    lines = iter(lines)
    while True:
        with translation.override(language):  # only while each line is made: nothing else runs in this language
            line = next(lines, None)
        if line is None:
            return
        yield line
