"""REST API of the comments app: read and search comments, submit, reply, endorse, report, withdraw,
moderate; the receipt chain; streamed bulk exports. Views only parse, call a service or selector, and shape."""
from __future__ import annotations

import csv
import json

from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from comments import selectors, services
from comments.chain import selectors as chain_selectors
from comments.models import Comment, Receipt
from comments.moderation import selectors as moderation_selectors
from comments.moderation import services as moderation
from comments.ratelimits import client_ip
from config.api.pagination import IdCursorPagination, KeysetPage, KeysetPagination
from consult import selectors as consult_selectors
from consult.models import Participant


class CommentPagination(KeysetPagination):
    """Comments page by page in the `order` asked (comments.selectors.ORDERINGS, as the HTML pages read
    them): walking `next` visits every comment exactly once, however many tie on their endorsements."""

    page_size = 20
    max_page_size = 200

    def page(self, queryset, *, request, position, backwards, limit):
        page = selectors.comment_page(
            comments=queryset, order=request.query_params.get("order") or "newest", cursor=position, backwards=backwards, limit=limit
        )
        return KeysetPage(items=page.comments, next_position=page.next_cursor, previous_position=page.previous_cursor)


class QuoteSerializer(serializers.Serializer):
    exact = serializers.CharField(max_length=5000, trim_whitespace=False)
    prefix = serializers.CharField(max_length=32, required=False, allow_blank=True, trim_whitespace=False, default="")
    suffix = serializers.CharField(max_length=32, required=False, allow_blank=True, trim_whitespace=False, default="")
    start = serializers.IntegerField(required=False, min_value=0, allow_null=True, default=None)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")


class CommentSubmitSerializer(serializers.Serializer):
    provision = serializers.IntegerField(min_value=1)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20_000)
    stance = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="",
        help_text="support, oppose, propose_wording or question: required for a comment; optional for a reply, and "
        "ignored on an official reply (the commission's answer takes no position).",
    )
    language = serializers.CharField(max_length=8)
    proposed_wording = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000)
    quote = QuoteSerializer(required=False, allow_null=True, default=None)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    official = serializers.BooleanField(required=False, default=False)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=20_000)
    stance = serializers.CharField(max_length=32, required=False)
    proposed_wording = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class CommentRecordSerializer(serializers.Serializer):
    """The public record of a comment (comments.selectors.comment_public_record): no e-mail, no IP, no account id.

    Hidden and withdrawn comments keep their place and receipt; their words are not shown. A reply is a
    comment of its own, listed like any other, with the comment it answers as `parent`.
    """

    id = serializers.IntegerField()
    receipt = serializers.CharField(allow_null=True)
    receipt_hash = serializers.CharField(allow_null=True)
    consultation = serializers.IntegerField()
    document = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Version number within the document.")
    provision = serializers.IntegerField()
    provision_path = serializers.CharField()
    lineage = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True, help_text="The comment this one replies to; null for a top-level comment.")
    official = serializers.BooleanField()
    author = serializers.CharField(help_text="Public display name (may be a pseudonym).")
    submitter_type = serializers.ChoiceField(choices=Participant.SubmitterType.choices)
    organisation = serializers.CharField()
    stance = serializers.ChoiceField(
        choices=Comment.Stance.choices, allow_blank=True, help_text="Empty for a reply without a position, and for an official reply.",
    )
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    moderation_reason = serializers.CharField()
    body = serializers.CharField()
    proposed_wording = serializers.CharField()
    language = serializers.CharField()
    quote = serializers.CharField()
    quote_start = serializers.IntegerField(allow_null=True)
    quote_end = serializers.IntegerField(allow_null=True)
    endorsements = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, comment):
        return selectors.comment_public_record(comment)


class CommentRevisionSerializer(serializers.Serializer):
    """An earlier text of a corrected comment (comments.selectors.comment_revisions_public)."""

    stance = serializers.ChoiceField(choices=Comment.Stance.choices, allow_blank=True)
    body = serializers.CharField()
    proposed_wording = serializers.CharField()
    replaced_at = serializers.DateTimeField(help_text="When the author replaced this text by a correction.")


class CommentDetailSerializer(CommentRecordSerializer):
    """One comment's public record with the history of its corrections (oldest first; empty for a hidden or withdrawn comment)."""

    revisions = CommentRevisionSerializer(many=True)

    def to_representation(self, comment):
        record = selectors.comment_public_record(comment)
        record["revisions"] = CommentRevisionSerializer(selectors.comment_revisions_public(comment), many=True).data
        return record


class CommentFilterSerializer(serializers.Serializer):
    consultation = serializers.SlugField(required=False)
    version = serializers.IntegerField(required=False)
    provision = serializers.IntegerField(required=False)
    lineage = serializers.IntegerField(required=False)
    stance = serializers.ChoiceField(choices=Comment.Stance.choices, required=False)
    submitter_type = serializers.ChoiceField(choices=Participant.SubmitterType.choices, required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    search = serializers.CharField(required=False, max_length=200)
    order = serializers.ChoiceField(choices=list(selectors.ORDERINGS), required=False)


COMMENT_FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=description)
    for name, description in [
        ("consultation", "slug"), ("version", "version id"), ("provision", "provision id"), ("lineage", "lineage id"),
        ("stance", "support, oppose, propose_wording, question"), ("submitter_type", "individual or organisation"),
        ("since", "ISO date-time"), ("until", "ISO date-time"), ("search", "full-text search of the body"),
        ("order", f"{', '.join(selectors.ORDERINGS)}; newest by default"),
    ]
]


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public comments. Reading is open to all; writing needs a verified account."""

    serializer_class = CommentRecordSerializer
    pagination_class = CommentPagination
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.comment_public_queryset()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = CommentFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        search = data.pop("search", "")
        data.pop("order", None)  # CommentPagination orders the page
        return selectors.comment_search(comments=selectors.comment_filter(comments=queryset, **data), query=search)

    @extend_schema(parameters=COMMENT_FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        """List and search comments, replies included (each with its `parent`); newest first by default.
        Follow `next` (or `previous`) for the next page: every comment comes exactly once, in every order.
        A cursor that was not given by a link is refused (400, code invalid_cursor)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=CommentDetailSerializer)
    def retrieve(self, request, pk=None):
        """One comment, with `revisions`: the earlier texts of a corrected comment (its first one is what the receipt hashed)."""
        if not str(pk).isdigit():
            raise Http404
        return Response(CommentDetailSerializer(selectors.comment_get(comment_id=int(pk))).data)

    @extend_schema(request=CommentSubmitSerializer, responses={201: CommentRecordSerializer})
    def create(self, request):
        """Submit a comment (or a reply, with `parent`). The answer carries the receipt number."""
        payload = CommentSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        quote = services.QuoteInput(**data["quote"]) if data.get("quote") else None
        comment = services.comment_submit(
            author=request.user, provision_id=data["provision"], body=data["body"], stance=data["stance"],
            language=data["language"], proposed_wording=data["proposed_wording"], quote=quote,
            parent_id=data["parent"], official=data["official"], client_ip=client_ip(request),
        )
        return Response(selectors.comment_public_record(comment), status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentEditSerializer, responses=CommentRecordSerializer)
    def partial_update(self, request, pk=None):
        """The author corrects a comment soon after sending it (15 minutes by default); the previous text is kept."""
        payload = CommentEditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.comment_edit(comment_id=int(pk), author=request.user, **payload.validated_data)
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=comment.pk)))

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.comment_withdraw(comment_id=int(pk), author=request.user)
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post", "delete"])
    def endorse(self, request, pk=None):
        """POST adds your "+1" (once); DELETE takes it back."""
        if request.method == "DELETE":
            comment = services.comment_unendorse(comment_id=int(pk), user=request.user)
        else:
            comment = services.comment_endorse(comment_id=int(pk), user=request.user, client_ip=client_ip(request))
        return Response({"id": comment.pk, "endorsements": comment.endorsement_count})

    @extend_schema(request=ReasonSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = moderation.comment_report(
            comment_id=int(pk), reporter=request.user, reason=payload.validated_data["reason"], client_ip=client_ip(request)
        )
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        """Commission only: hide with a public reason. Nothing is deleted."""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moderation.comment_hide(comment_id=int(pk), moderator=request.user, reason=payload.validated_data["reason"])
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))

    @extend_schema(request=ReasonSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moderation.comment_restore(comment_id=int(pk), moderator=request.user, reason=payload.validated_data["reason"])
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))


class ReportedCommentSerializer(CommentRecordSerializer):
    """A comment in the commission's queue: its public record and how many open reports it has."""

    open_reports = serializers.IntegerField()

    def to_representation(self, comment):
        return {**super().to_representation(comment), "open_reports": comment.open_reports}


class ModerationQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Commission only: comments of one consultation with open reports, most reported first (page-numbered)."""

    serializer_class = ReportedCommentSerializer

    @extend_schema(parameters=[OpenApiParameter("consultation", OpenApiTypes.STR, required=True)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        consultation = consult_selectors.consultation_get(slug=self.request.query_params.get("consultation", ""))
        return moderation_selectors.moderation_queue(consultation=consultation, user=self.request.user)


class ReceiptSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "number", "sequence", "consultation", "kind", "comment", "payload_format", "content_hash", "previous_hash",
            "chain_hash", "created_at",
        ]


class ChainBreakSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="The position concerned; 0 for the chain as a whole.")
    number = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ChainVerificationSerializer(serializers.Serializer):
    consultation = serializers.CharField()
    length = serializers.IntegerField(source="head.length", help_text="How many receipts the chain's head says it has.")
    head_hash = serializers.CharField(source="head.head_hash", help_text="The newest receipt's chain hash.")
    stored = serializers.IntegerField(help_text="How many receipts are stored.")
    intact = serializers.BooleanField()
    breaks = ChainBreakSerializer(many=True)


class ReceiptCursorPagination(IdCursorPagination):
    page_size = 500
    max_page_size = 5000


class ReceiptViewSet(viewsets.ReadOnlyModelViewSet):
    """The public receipt chain: walk it in order and check every link (see comments/receipts.py)."""

    serializer_class = ReceiptSerializer
    pagination_class = ReceiptCursorPagination
    lookup_field = "number"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        receipts = Receipt.objects.select_related("consultation")
        slug = self.request.query_params.get("consultation")
        return receipts.filter(consultation__slug=slug) if slug else receipts

    def retrieve(self, request, number=None):
        receipt = chain_selectors.receipt_get(number=number)
        return Response({**ReceiptSerializer(receipt).data, "verified": chain_selectors.receipt_check(receipt=receipt)})

    @extend_schema(
        parameters=[OpenApiParameter("consultation", str, required=True, description="The consultation's slug.")],
        responses=ChainVerificationSerializer,
    )
    @action(detail=False, url_path="chain", pagination_class=None)
    def chain(self, request):
        """The chain's head (length and newest hash) and a walk of every link against it, as anyone can repeat it:
        each position present, each link pointing at the one before, each hash matching."""
        consultation = consult_selectors.consultation_get(slug=request.query_params.get("consultation", ""))
        report = chain_selectors.chain_verification(consultation=consultation, with_content=False)
        return Response(ChainVerificationSerializer(report).data)


EXPORT_FIELDS = [
    "id", "receipt", "receipt_hash", "consultation", "document", "version", "provision", "provision_path", "lineage",
    "parent", "official", "author", "submitter_type", "organisation", "stance", "status", "moderation_reason", "body",
    "proposed_wording", "language", "quote", "quote_start", "quote_end", "endorsements", "created_at", "edited_at",
    "withdrawn_at",
]


class _EchoBuffer:
    def write(self, value):
        return value


def comments_export_csv(request, slug):
    """All accepted comments of a consultation as CSV, streamed row by row."""
    consultation = consult_selectors.consultation_get(slug=slug)
    writer = csv.DictWriter(_EchoBuffer(), fieldnames=EXPORT_FIELDS)

    def rows():
        yield "\ufeff" + writer.writeheader()  # the BOM lets spreadsheet software read UTF-8
        for record in selectors.comment_export_rows(consultation=consultation):
            yield writer.writerow(record)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-comments.csv"'
    return response


def comments_export_jsonl(request, slug):
    """All accepted comments of a consultation as JSON Lines, streamed."""
    consultation = consult_selectors.consultation_get(slug=slug)
    lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in selectors.comment_export_rows(consultation=consultation))
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-comments.jsonl"'
    return response
