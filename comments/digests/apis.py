"""REST API of digest reports: the list (published ones for everyone, all for the commission), one report with
its files and checkpoint, asking for one (commission only, checked by the service), and each file's bytes."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from comments.digests import selectors, services
from comments.digests.models import DigestFile, DigestReport
from config.api.openapi import field_examples
from config.errors import ApplicationError, NotFound
from consult import selectors as consult_selectors
from drafts.models import Document, DraftVersion


HASH_EXAMPLE = "9f2c4e0b7a51d3e8c6f4a2b19d0e7c5a3f8b6d2e1c9a7f5b3d1e0c8a6f4b2d97"


@field_examples(
    format="pdf", filename="tarvania-2026-report-12.pdf", content_type="application/pdf", size=284113, sha256=HASH_EXAMPLE,
    url="https://consult.example.org/api/v1/reports/12/files/pdf/",
)
class DigestFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download it.")

    class Meta:
        model = DigestFile
        fields = ["format", "filename", "content_type", "size", "sha256", "url"]
        extra_kwargs = {
            "format": {"help_text": "html, pdf, csv (a zip of the tables) or json."},
            "filename": {"help_text": "The file's name."},
            "content_type": {"help_text": "Its media type."},
            "size": {"help_text": "Its size in bytes."},
            "sha256": {"help_text": "SHA-256 (hex) of its bytes."},
        }

    def get_url(self, file) -> str:
        request = self.context.get("request")
        path = f"/api/v1/reports/{file.report_id}/files/{file.format}/"
        return request.build_absolute_uri(path) if request else path


@field_examples(
    id=12, consultation="tarvania-2026", kind="version", document="constitution", version=7, version_number=1,
    period_start=None, period_end=None, status="done", progress=1.0, error="", attempts=1, is_public=True,
    inputs_hash=HASH_EXAMPLE, chain_length=1250, chain_head=HASH_EXAMPLE, checkpoint_holds=True,
    built_at="2026-02-06T06:03:12+05:00", created_at="2026-02-06T06:00:00+05:00",
)
class DigestReportSerializer(serializers.ModelSerializer):
    consultation = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The consultation's slug.")
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The document's slug, for a report on one document.")
    version = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The id of the version reported on, for a version report.")
    version_number = serializers.IntegerField(source="version.number", read_only=True, allow_null=True, help_text="That version's number.")
    files = DigestFileSerializer(many=True, read_only=True, help_text="Its files, once built.")
    checkpoint_holds = serializers.SerializerMethodField(help_text="Whether the receipt chain still extends this report's checkpoint (null until built).")

    class Meta:
        model = DigestReport
        fields = [
            "id", "consultation", "kind", "document", "version", "version_number", "period_start", "period_end", "status", "progress",
            "error", "attempts", "is_public", "inputs_hash", "chain_length", "chain_head", "checkpoint_holds", "built_at", "created_at",
            "files",
        ]
        extra_kwargs = {
            "id": {"help_text": "The report's id."},
            "kind": {"help_text": "Daily digest, version report or on-demand report."},
            "period_start": {"help_text": "The start of the period it covers, if it covers one."},
            "period_end": {"help_text": "The end of the period it covers."},
            "status": {"help_text": "Waiting, running, done or failed: built by a worker."},
            "error": {"help_text": "Why it failed, if it did."},
            "built_at": {"help_text": "When it was built."},
            "created_at": {"help_text": "When it was asked for."},
        }

    def get_checkpoint_holds(self, report) -> bool | None:
        return selectors.checkpoint_holds(report=report)


@field_examples(
    consultation="tarvania-2026", kind="on_demand", document="constitution", version=7,
    period_start="2026-01-05T00:00:00+05:00", period_end="2026-01-12T00:00:00+05:00",
)
class DigestRequestSerializer(serializers.Serializer):
    consultation = serializers.SlugField(help_text="The consultation's slug.")
    kind = serializers.ChoiceField(
        choices=[DigestReport.Kind.ON_DEMAND, DigestReport.Kind.VERSION], default=DigestReport.Kind.ON_DEMAND,
        help_text="on_demand (a period) or version (a version's comments).",
    )
    document = serializers.SlugField(required=False, allow_blank=True, help_text="A document of the consultation (its slug).")
    version = serializers.IntegerField(required=False, min_value=1, help_text="For a version report: the version's id.")
    period_start = serializers.DateTimeField(required=False, help_text="For an on-demand report: the start of the period.")
    period_end = serializers.DateTimeField(required=False, help_text="For an on-demand report: the end of the period.")


@field_examples(public=True)
class PublishSerializer(serializers.Serializer):
    public = serializers.BooleanField(help_text="true to publish it, false to withdraw it.")


CONSULTATION = OpenApiParameter("consultation", str, description="Only this consultation's reports (its slug).")
# The media type of each format's file (comments/digests/render.py writes them).
FILE_MEDIA_TYPES = {"html": "text/html", "pdf": "application/pdf", "csv": "application/zip", "json": "application/json"}


class DigestReportViewSet(viewsets.GenericViewSet):
    """Digest reports: daily digests, version reports and on-demand reports, each with its files (HTML, PDF, CSV
    tables in a zip, JSON) and the receipt chain's checkpoint when it was built. Unpublished reports are the commission's."""

    serializer_class = DigestReportSerializer
    queryset = DigestReport.objects.none()
    lookup_value_regex = r"\d{1,18}"

    @extend_schema(parameters=[CONSULTATION], responses=DigestReportSerializer(many=True))
    def list(self, request):
        slug = request.query_params.get("consultation")
        consultation = consult_selectors.consultation_get(slug=slug) if slug else None
        page = self.paginate_queryset(selectors.digest_list(consultation=consultation, user=request.user))
        return self.get_paginated_response(DigestReportSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses=DigestReportSerializer)
    def retrieve(self, request, pk=None):
        report = selectors.digest_get(report_id=int(pk), user=request.user)
        return Response(DigestReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=DigestRequestSerializer, responses={201: DigestReportSerializer})
    def create(self, request):
        """Commission or administrator only: ask for a report. The same inputs give the same report (idempotent)."""
        payload = DigestRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        consultation = consult_selectors.consultation_get(slug=data["consultation"])
        document = version = None
        if data.get("document"):
            document = Document.objects.filter(slug=data["document"]).first()
            if document is None:
                raise ApplicationError(_("No such document."), fields={"document": [_("No document has this slug.")]})
        if data.get("version"):
            version = DraftVersion.objects.select_related("document").filter(pk=data["version"]).first()
            if version is None:
                raise ApplicationError(_("No such version."), fields={"version": [_("No version has this id.")]})
        report = services.digest_request(
            consultation=consultation, kind=data["kind"], requested_by=request.user, document=document, version=version,
            period_start=data.get("period_start"), period_end=data.get("period_end"),
        )
        report = selectors.digest_get(report_id=report.pk, user=request.user)
        return Response(DigestReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PublishSerializer, responses=DigestReportSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Commission or administrator only: publish the report (everyone may read it) or withdraw it."""
        payload = PublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = selectors.digest_get(report_id=int(pk), user=request.user)
        services.digest_publish(actor=request.user, report_id=report.pk, public=payload.validated_data["public"])
        return Response(DigestReportSerializer(selectors.digest_get(report_id=report.pk, user=request.user), context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", str, OpenApiParameter.PATH, enum=DigestFile.Format.values, description="The file's format."),
        ],
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=f"The file's bytes ({file_format}).")
            for file_format, media_type in FILE_MEDIA_TYPES.items()
        },
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_format>[a-z]+)")
    def files(self, request, pk=None, file_format=None):
        """One file of the report (html, pdf, csv: a zip of the tables, json), as stored when it was built."""
        report = selectors.digest_get(report_id=int(pk), user=request.user)
        if file_format not in DigestFile.Format.values:
            raise NotFound(_("Reports have the formats %(formats)s.") % {"formats": ", ".join(DigestFile.Format.values)}, code="report_file_not_found")
        file = selectors.digest_file_get(report=report, format=file_format)
        response = HttpResponse(bytes(file.data), content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response
