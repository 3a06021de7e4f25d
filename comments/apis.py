"""REST API of the comments app: read and search comments, submit, reply, endorse, report, withdraw,
moderate; the receipt chain; streamed bulk exports. Views only parse, call a service or selector, and shape."""
from __future__ import annotations

import csv
import json

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from comments import selectors, services
from comments.chain import selectors as chain_selectors
from comments.filters import CommentFilter
from comments.models import BODY_MAX_LENGTH, Comment, Receipt, Report
from comments.moderation import selectors as moderation_selectors
from comments.moderation import services as moderation
from comments.ratelimits import client_ip
from config.api.negotiation import FileContentNegotiation
from config.api.openapi import field_examples
from config.api.throttles import with_export_throttle
from config.api.pagination import IdCursorPagination, KeysetPage, KeysetPagination
from config.errors import ApplicationError
from config.spreadsheets import spreadsheet_safe
from consult import selectors as consult_selectors
from consult.models import Participant


class CommentPagination(KeysetPagination):
    """Comments page by page in the `order` asked (comments.selectors.ORDERINGS, as the HTML pages read
    them): walking `next` visits every comment exactly once, however many tie on their endorsements."""

    page_size = 20
    max_page_size = 200

    order_query_param = "order"

    def page(self, queryset, *, request, position, backwards, limit):
        page = selectors.comment_page(
            comments=queryset, order=self.order(request), cursor=position, backwards=backwards, limit=limit
        )
        return KeysetPage(items=page.comments, next_position=page.next_cursor, previous_position=page.previous_cursor)

    def order(self, request) -> str:
        order = request.query_params.get(self.order_query_param) or "newest"
        if order not in selectors.ORDERINGS:
            message = _("Order by %(orders)s.") % {"orders": ", ".join(selectors.ORDERINGS)}
            raise ApplicationError(message, fields={self.order_query_param: [message]})
        return order

    def get_schema_operation_parameters(self, view):
        order = {
            "name": self.order_query_param, "required": False, "in": "query",
            "description": "The order of the comments: newest first (the default), oldest first, or most endorsed first.",
            "schema": {"type": "string", "enum": list(selectors.ORDERINGS), "default": "newest"},
        }
        return [*super().get_schema_operation_parameters(view), order]


HASH_EXAMPLE = "9f2c4e0b7a51d3e8c6f4a2b19d0e7c5a3f8b6d2e1c9a7f5b3d1e0c8a6f4b2d97"


@field_examples(
    exact="spiritual and moral values", prefix="on grounds of ", suffix=", public order", start=112, language="en",
)
class QuoteSerializer(serializers.Serializer):
    """The words of the provision that a comment is about, as the reader selected them."""

    exact = serializers.CharField(max_length=5000, trim_whitespace=False, help_text="The quoted words, exactly as in the provision's text.")
    prefix = serializers.CharField(
        max_length=32, required=False, allow_blank=True, trim_whitespace=False, default="",
        help_text="Up to 32 characters just before the quote: they find it again if the same words occur twice.",
    )
    suffix = serializers.CharField(
        max_length=32, required=False, allow_blank=True, trim_whitespace=False, default="", help_text="Up to 32 characters just after the quote.",
    )
    start = serializers.IntegerField(
        required=False, min_value=0, allow_null=True, default=None, help_text="Where the quote starts in the text (a character offset), if known.",
    )
    language = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default="", help_text="The language of the text quoted; the comment's language if empty.",
    )


@field_examples(
    provision=1234, body="Restrictions should be limited to the grounds the ICCPR allows.", stance="propose_wording", language="en",
    proposed_wording="…only on grounds of public health or public morals.", quote=None, parent=None, official=False,
)
class CommentSubmitSerializer(serializers.Serializer):
    provision = serializers.IntegerField(min_value=1, help_text="The id of the provision commented on, in a version open for comment.")
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=BODY_MAX_LENGTH, help_text="The comment's text.")
    stance = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="",
        help_text="support, oppose, propose_wording or question: required for a comment; optional for a reply, and "
        "ignored on an official reply (the commission's answer takes no position).",
    )
    language = serializers.CharField(max_length=8, help_text="The language the comment is written in (ISO 639-1: kk, ru, en…).")
    proposed_wording = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=BODY_MAX_LENGTH, help_text="The words proposed instead (with stance propose_wording).",
    )
    quote = QuoteSerializer(required=False, allow_null=True, default=None, help_text="The words of the provision the comment is about, if any.")
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, default=None, help_text="The id of the comment this one replies to; null for a comment.",
    )
    official = serializers.BooleanField(required=False, default=False, help_text="A reply on behalf of the commission (its members only).")


@field_examples(body="Restrictions should be limited to the grounds the ICCPR allows.", stance="oppose", proposed_wording="")
class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, max_length=BODY_MAX_LENGTH, help_text="The corrected text.")
    stance = serializers.CharField(max_length=32, required=False, help_text="The corrected stance, if it changes.")
    proposed_wording = serializers.CharField(
        required=False, allow_blank=True, max_length=BODY_MAX_LENGTH, help_text="The corrected proposed wording, if it changes.",
    )


@field_examples(reason="Personal attack on another participant.")
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=moderation.MODERATION_REASON_MAX_LENGTH, help_text="Why: shown in public with a hidden or restored comment."
    )


@field_examples(reason="Insults another participant by name.")
class ReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=moderation.REPORT_REASON_MAX_LENGTH, help_text="Why the comment breaks the rules: read by the moderators."
    )


@field_examples(
    id=4521, receipt="TARVANIA-2026-0000042", receipt_hash=HASH_EXAMPLE, consultation="tarvania-2026", document="constitution",
    version=7, version_number=1, provision=1234, provision_path="II/25/1", lineage=311, parent=None, official=False,
    author="Aigerim S.", submitter_type="individual", organisation="", stance="oppose", status="published", moderation_reason="",
    body="Restrictions on grounds of 'spiritual and moral values' go beyond what the ICCPR allows.", proposed_wording="",
    language="en", quote="spiritual and moral values", quote_start=112, quote_end=138, endorsements=12,
    created_at="2026-01-12T09:41:07+05:00", edited_at=None, withdrawn_at=None,
)
class CommentRecordSerializer(serializers.Serializer):
    """The public record of a comment (comments.selectors.comment_public_record): no e-mail, no IP, no account id.

    Hidden and withdrawn comments keep their place and receipt; their words are not shown. A reply is a
    comment of its own, listed like any other, with the comment it answers as `parent`. Each field holds
    the kind of value that the list's filter of the same name takes.
    """

    id = serializers.IntegerField(help_text="The comment's id.")
    receipt = serializers.CharField(allow_null=True, help_text="The public tracking number of its receipt.")
    receipt_hash = serializers.CharField(allow_null=True, help_text="Its receipt's chain hash (SHA-256, hex): see /api/v1/receipts/.")
    consultation = serializers.CharField(help_text="The consultation's slug.")
    document = serializers.CharField(help_text="The document's slug.")
    version = serializers.IntegerField(help_text="The id of the version commented on (as the `version` filter takes it).")
    version_number = serializers.IntegerField(help_text="That version's number within its document (0 for the text in force).")
    provision = serializers.IntegerField(help_text="The id of the provision commented on.")
    provision_path = serializers.CharField(help_text="The provision's place in the version: section/article/paragraph numbers.")
    lineage = serializers.IntegerField(help_text="The provision's identity across versions, whatever its number.")
    parent = serializers.IntegerField(allow_null=True, help_text="The comment this one replies to; null for a top-level comment.")
    official = serializers.BooleanField(help_text="A reply on behalf of the commission.")
    author = serializers.CharField(help_text="Public display name (may be a pseudonym).")
    submitter_type = serializers.ChoiceField(choices=Participant.SubmitterType.choices, help_text="Whether the author speaks for themself or an organisation.")
    organisation = serializers.CharField(help_text="The organisation's name; empty for an individual.")
    stance = serializers.ChoiceField(
        choices=Comment.Stance.choices, allow_blank=True, help_text="Empty for a reply without a position, and for an official reply.",
    )
    status = serializers.ChoiceField(choices=Comment.Status.choices, help_text="published, hidden by moderators, or withdrawn by the author.")
    moderation_reason = serializers.CharField(help_text="Why the moderators hid it; empty unless hidden.")
    body = serializers.CharField(help_text="The text; empty when hidden or withdrawn.")
    proposed_wording = serializers.CharField(help_text="The words proposed instead; empty when none, hidden or withdrawn.")
    language = serializers.CharField(help_text="The language it is written in (ISO 639-1).")
    quote = serializers.CharField(help_text="The words of the provision it is about; empty when none, hidden or withdrawn.")
    quote_start = serializers.IntegerField(allow_null=True, help_text="Where the quote starts in the provision's text (a character offset).")
    quote_end = serializers.IntegerField(allow_null=True, help_text="Where the quote ends in the provision's text.")
    endorsements = serializers.IntegerField(help_text="How many participants endorsed it (+1).")
    created_at = serializers.DateTimeField(help_text="When it was accepted (its receipt's time).")
    edited_at = serializers.DateTimeField(allow_null=True, help_text="When the author last corrected it; null if never.")
    withdrawn_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the author withdrew it; null if not. A hidden comment its author withdrew stays hidden, with its reason, and has this too.",
    )

    def to_representation(self, comment):
        return selectors.comment_public_record(comment)


@field_examples(stance="oppose", body="Restrictions on grounds of morals go too far.", proposed_wording="", replaced_at="2026-01-12T09:49:30+05:00")
class CommentRevisionSerializer(serializers.Serializer):
    """An earlier text of a corrected comment (comments.selectors.comment_revisions_public)."""

    stance = serializers.ChoiceField(choices=Comment.Stance.choices, allow_blank=True, help_text="The stance it had then.")
    body = serializers.CharField(help_text="The text it had then.")
    proposed_wording = serializers.CharField(help_text="The proposed wording it had then.")
    replaced_at = serializers.DateTimeField(help_text="When the author replaced this text by a correction.")


class CommentDetailSerializer(CommentRecordSerializer):
    """One comment's public record with the history of its corrections (oldest first; empty for a hidden or withdrawn comment)."""

    revisions = CommentRevisionSerializer(many=True, help_text="Its earlier texts, oldest first: the first is what its receipt hashed.")

    def to_representation(self, comment):
        record = selectors.comment_public_record(comment)
        record["revisions"] = CommentRevisionSerializer(selectors.comment_revisions_public(comment), many=True).data
        return record


@field_examples(id=4521, endorsements=13)
class EndorsementSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The comment's id.")
    endorsements = serializers.IntegerField(help_text="How many participants endorse it now.")


@field_examples(id=88, status="open")
class ReportReceivedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The report's id.")
    status = serializers.ChoiceField(choices=Report.Status.choices, help_text="open until the commission dismisses it or hides the comment.")


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public comments. Reading is open to all; writing needs a verified account."""

    serializer_class = CommentRecordSerializer
    pagination_class = CommentPagination
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CommentFilter
    lookup_value_regex = r"\d{1,18}"  # anything else is no comment: a 404 from the router, never int() failing

    def get_queryset(self):
        return selectors.comment_public_queryset()

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request, *args, **kwargs):
        """List and search comments, replies included (each with its `parent`); newest first by default.
        Follow `next` (or `previous`) for the next page: every comment comes exactly once, in every order.
        A cursor that was not given by a link is refused (400, code invalid_cursor)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=CommentDetailSerializer)
    def retrieve(self, request, pk=None):
        """One comment, with `revisions`: the earlier texts of a corrected comment (its first one is what the receipt hashed)."""
        return Response(CommentDetailSerializer(selectors.comment_get(comment_id=int(pk))).data)

    @extend_schema(
        request=CommentSubmitSerializer, responses={201: CommentRecordSerializer},
        parameters=[OpenApiParameter(
            "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
            description=(
                "A key of your choosing (e.g. a UUID), new for each comment: sending the same submission again "
                "with it returns the comment already made (same body, header Idempotent-Replayed: true) "
                "instead of a second one; with other words it is refused (422)."
            ),
        )],
    )
    def create(self, request):
        """Submit a comment (or a reply, with `parent`). The answer carries the receipt number.

        Retry a submission whose answer you did not get with the same Idempotency-Key: the comment may
        have been recorded although the answer was lost."""
        payload = CommentSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        quote = services.QuoteInput(**data["quote"]) if data.get("quote") else None
        comment = services.comment_submit(
            author=request.user, provision_id=data["provision"], body=data["body"], stance=data["stance"],
            language=data["language"], proposed_wording=data["proposed_wording"], quote=quote,
            parent_id=data["parent"], official=data["official"], client_ip=client_ip(request),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        headers = {"Idempotent-Replayed": "true"} if comment.replayed else None
        return Response(selectors.comment_public_record(comment), status=status.HTTP_201_CREATED, headers=headers)

    @extend_schema(request=CommentEditSerializer, responses=CommentRecordSerializer)
    def partial_update(self, request, pk=None):
        """The author corrects a comment soon after sending it (15 minutes by default); the previous text is kept."""
        payload = CommentEditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.comment_edit(comment_id=int(pk), author=request.user, **payload.validated_data)
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=comment.pk)))

    @extend_schema(request=None, responses=CommentRecordSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.comment_withdraw(comment_id=int(pk), author=request.user)
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))

    @extend_schema(request=None, responses=EndorsementSerializer)
    @action(detail=True, methods=["post", "delete"])
    def endorse(self, request, pk=None):
        """POST adds your "+1" (once); DELETE takes it back."""
        if request.method == "DELETE":
            comment = services.comment_unendorse(comment_id=int(pk), user=request.user)
        else:
            comment = services.comment_endorse(comment_id=int(pk), user=request.user, client_ip=client_ip(request))
        return Response({"id": comment.pk, "endorsements": comment.endorsement_count})

    @extend_schema(request=ReportReasonSerializer, responses={201: ReportReceivedSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        payload = ReportReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = moderation.comment_report(
            comment_id=int(pk), reporter=request.user, reason=payload.validated_data["reason"], client_ip=client_ip(request)
        )
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=CommentRecordSerializer)
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        """Commission only: hide with a public reason. Nothing is deleted."""
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moderation.comment_hide(comment_id=int(pk), moderator=request.user, reason=payload.validated_data["reason"])
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))

    @extend_schema(request=ReasonSerializer, responses=CommentRecordSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        payload = ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        moderation.comment_restore(comment_id=int(pk), moderator=request.user, reason=payload.validated_data["reason"])
        return Response(selectors.comment_public_record(selectors.comment_get(comment_id=int(pk))))


@field_examples(open_reports=3)
class ReportedCommentSerializer(CommentRecordSerializer):
    """A comment in the commission's queue: its public record and how many open reports it has."""

    open_reports = serializers.IntegerField(help_text="How many reports of it wait for the commission.")

    def to_representation(self, comment):
        return {**super().to_representation(comment), "open_reports": comment.open_reports}


class ModerationQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Commission only: comments of one consultation with open reports, most reported first (page-numbered)."""

    serializer_class = ReportedCommentSerializer

    @extend_schema(parameters=[OpenApiParameter("consultation", OpenApiTypes.STR, required=True, description="The consultation's slug.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model, with no consultation
            return Comment.objects.none()
        consultation = consult_selectors.consultation_get(slug=self.request.query_params.get("consultation", ""))
        return moderation_selectors.moderation_queue(consultation=consultation, user=self.request.user)


@field_examples(
    number="TARVANIA-2026-0000042", sequence=42, consultation="tarvania-2026", kind="comment", comment=4521, payload_format=1,
    content_hash="3b7e1f0c9a8d6e5f4c2b1a0d9e8f7c6b5a4d3e2f1c0b9a8d7e6f5c4b3a2d1e0f", previous_hash="0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d",
    chain_hash=HASH_EXAMPLE, created_at="2026-01-12T09:41:07+05:00",
)
class ReceiptSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The consultation's slug: each has its own chain.")

    class Meta:
        model = Receipt
        fields = [
            "number", "sequence", "consultation", "kind", "comment", "payload_format", "content_hash", "previous_hash",
            "chain_hash", "created_at",
        ]
        extra_kwargs = {
            "number": {"help_text": "The public tracking number."},
            "sequence": {"help_text": "Its position in the consultation's chain, from 1."},
            "kind": {"help_text": "What it records: a comment accepted, or a decision on a concern."},
            "comment": {"help_text": "The id of the comment it records; null for a decision."},
            "content_hash": {"help_text": "SHA-256 (hex) of the record's canonical payload (comments/receipts.py)."},
            "previous_hash": {"help_text": "The chain hash of the receipt before it (64 zeros for the first)."},
            "chain_hash": {"help_text": "SHA-256 (hex) of previous_hash|content_hash|sequence: what the next receipt links to."},
            "created_at": {"help_text": "When it was issued."},
        }


@field_examples(verified=True)
class ReceiptDetailSerializer(ReceiptSerializer):
    verified = serializers.BooleanField(help_text="Whether it links to the receipt before it and its hash matches its content.")

    class Meta(ReceiptSerializer.Meta):
        fields = [*ReceiptSerializer.Meta.fields, "verified"]


@field_examples(sequence=17, number="TARVANIA-2026-0000017", reason="its content hash does not match its record")
class ChainBreakSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="The position concerned; 0 for the chain as a whole.")
    number = serializers.CharField(allow_blank=True, help_text="The receipt's number; empty for a missing position or the whole chain.")
    reason = serializers.CharField(help_text="What does not hold there.")


@field_examples(consultation="tarvania-2026", length=1250, head_hash=HASH_EXAMPLE, stored=1250, intact=True, breaks=[])
class ChainVerificationSerializer(serializers.Serializer):
    consultation = serializers.CharField(help_text="The consultation's slug.")
    length = serializers.IntegerField(source="head.length", help_text="How many receipts the chain's head says it has.")
    head_hash = serializers.CharField(source="head.head_hash", help_text="The newest receipt's chain hash.")
    stored = serializers.IntegerField(help_text="How many receipts are stored.")
    intact = serializers.BooleanField(help_text="Whether every link holds: no break found.")
    breaks = ChainBreakSerializer(many=True, help_text="Every place where the chain does not hold; empty when intact.")


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

    @extend_schema(parameters=[OpenApiParameter("consultation", str, description="Only this consultation's chain (its slug).")])
    def list(self, request, *args, **kwargs):
        """Every receipt in the order it was issued."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ReceiptDetailSerializer)
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


# --- bulk exports -----------------------------------------------------------------------------------

EXPORT_FIELDS = list(CommentRecordSerializer().fields)  # the columns are the list's fields, in its order


EXPORT_SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The consultation's slug.")


class _EchoBuffer:
    def write(self, value):
        return value


class _CommentExportView(GenericAPIView):
    """All accepted comments of a consultation, oldest first, streamed, filtered as the comment list is
    (CommentFilter: the same parameters). Each row is a comment's public record, as the list gives it."""

    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CommentFilter
    pagination_class = None
    serializer_class = CommentRecordSerializer
    content_negotiation_class = FileContentNegotiation
    throttle_classes = with_export_throttle()  # a whole consultation per request: a few per hour and address

    def get_queryset(self):
        return selectors.comment_public_queryset()

    def records(self, slug: str):
        consultation = consult_selectors.consultation_get(slug=slug)
        comments = self.filter_queryset(self.get_queryset().filter(consultation=consultation))
        return selectors.comment_export_rows(comments=comments)


class CommentExportCSVView(_CommentExportView):
    @extend_schema(
        operation_id="consultations_export_comments_csv", filters=True, parameters=[EXPORT_SLUG],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=f"One row per comment; columns: {', '.join(EXPORT_FIELDS)}.")},
    )
    def get(self, request, slug):
        """The consultation's comments as CSV (UTF-8 with a byte order mark, for spreadsheets), streamed row by row."""
        writer = csv.DictWriter(_EchoBuffer(), fieldnames=EXPORT_FIELDS)
        records = self.records(slug)

        def rows():
            yield "\ufeff" + writer.writeheader()  # the BOM lets spreadsheet software read UTF-8
            for record in records:
                yield writer.writerow({field: spreadsheet_safe(value) for field, value in record.items()})

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slug}-comments.csv"'
        return response


class CommentExportJSONLinesView(_CommentExportView):
    @extend_schema(
        operation_id="consultations_export_comments_jsonl", filters=True, parameters=[EXPORT_SLUG],
        responses={(200, "application/x-ndjson"): OpenApiResponse(CommentRecordSerializer, description="One comment's public record per line (JSON Lines).")},
    )
    def get(self, request, slug):
        """The consultation's comments as JSON Lines, streamed: one JSON object per line, as the list's results."""
        records = self.records(slug)
        lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slug}-comments.jsonl"'
        return response


comments_export_csv = CommentExportCSVView.as_view()
comments_export_jsonl = CommentExportJSONLinesView.as_view()
