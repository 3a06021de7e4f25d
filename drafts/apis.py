"""REST API of the drafts app: documents, versions, provisions; import and publish for admins."""
from __future__ import annotations

import django_filters
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from config.api.filters import IdFilter
from config.api.openapi import field_examples
from config.api.pagination import IdCursorPagination
from config.errors import ApplicationError, InvalidState, PermissionDenied
from drafts import selectors, services
from drafts.models import LANGUAGE_CHOICES, Alignment, Document, DraftVersion, Provision, ProvisionChange


def _public_only(request) -> bool:
    return not selectors.is_draft_admin(user=request.user)


COMPARISON_NOT_REQUESTED = "not_requested"
COMPARISON_STATUSES = [*Alignment.Status.values, COMPARISON_NOT_REQUESTED]
CONTENT_HASH_EXAMPLE = "5d41402abc4b2a76b9719d911017c592ae1e9b6c0f2d3e4a5b6c7d8e9f0a1b2c"


@field_examples(
    id=7, number=1, label="Draft 1", status="published", languages=["kk", "ru", "en"],
    published_at="2026-01-05T09:00:00+05:00", content_hash=CONTENT_HASH_EXAMPLE,
)
class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftVersion
        fields = ["id", "number", "label", "status", "languages", "published_at", "content_hash"]
        extra_kwargs = {
            "id": {"help_text": "The version's id: what every `version` field and filter of the API holds."},
            "number": {"help_text": "Its number within the document: 0 for the text in force, then 1, 2, …"},
            "label": {"help_text": "Its label, e.g. Draft 2."},
            "status": {"help_text": "preparing (admins only), published, or superseded by a later published one."},
            "published_at": {"help_text": "When it was published; null while preparing."},
        }


@field_examples(
    id=1, slug="constitution", title="Constitution of the Republic of Tarvania", kind="constitution", authoritative_language="kk",
)
class DocumentSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField(help_text="Its versions, oldest first (the public sees published and superseded ones).")

    class Meta:
        model = Document
        fields = ["id", "slug", "title", "kind", "authoritative_language", "versions"]
        extra_kwargs = {
            "id": {"help_text": "The document's id."},
            "slug": {"help_text": "Its name in URLs and in the API's `document` fields and filters."},
            "title": {"help_text": "Its title."},
            "kind": {"help_text": "Constitution, constitutional law or law."},
            "authoritative_language": {"help_text": "The language whose text prevails (ISO 639-1)."},
        }

    @extend_schema_field(VersionSummarySerializer(many=True))
    def get_versions(self, document) -> list[dict]:
        public_only = self.context.get("public_only", True)
        versions = [v for v in document.versions.all() if not public_only or v.status in selectors.PUBLIC_STATUSES]
        return VersionSummarySerializer(versions, many=True).data


@field_examples(
    id=7, document="constitution", number=1, label="Draft 1", status="published", is_baseline=False, languages=["kk", "ru", "en"],
    source_filename="constitution-draft-1.docx", content_hash=CONTENT_HASH_EXAMPLE, created_at="2026-01-03T15:20:00+05:00",
    published_at="2026-01-05T09:00:00+05:00", provision_count=412,
)
class VersionSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The document's slug.")
    provision_count = serializers.IntegerField(read_only=True, help_text="How many provisions it has, at every level.")
    is_baseline = serializers.BooleanField(read_only=True, help_text="Whether it is the text in force (version 0), not a draft.")

    class Meta:
        model = DraftVersion
        fields = [
            "id", "document", "number", "label", "status", "is_baseline", "languages", "source_filename",
            "content_hash", "created_at", "published_at", "provision_count",
        ]
        extra_kwargs = {
            **VersionSummarySerializer.Meta.extra_kwargs,
            "source_filename": {"help_text": "The file it was imported from."},
            "created_at": {"help_text": "When it was imported."},
        }


@field_examples(
    id=1234, document="constitution", version=7, version_number=1, lineage=311, parent=1230, kind="paragraph", number="1",
    path="II/25/1", order=233, depth=2, content_hash=CONTENT_HASH_EXAMPLE,
    texts={"en": {"heading": "", "text": "Rights may be restricted only by law…"}, "ru": {"heading": "", "text": "Права могут быть ограничены только законом…"}},
)
class ProvisionSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The id of its version.")
    lineage = serializers.PrimaryKeyRelatedField(read_only=True, help_text="Its identity across versions, whatever its number.")
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="The id of the provision it is part of; null at the top.")
    document = serializers.SlugRelatedField(source="version.document", slug_field="slug", read_only=True, help_text="The document's slug.")
    version_number = serializers.IntegerField(source="version.number", read_only=True, help_text="Its version's number.")
    texts = serializers.SerializerMethodField(help_text="Its heading and text in each language it has, by language code.")

    class Meta:
        model = Provision
        fields = [
            "id", "document", "version", "version_number", "lineage", "parent", "kind", "number", "path",
            "order", "depth", "content_hash", "texts",
        ]
        extra_kwargs = {
            "id": {"help_text": "The provision's id."},
            "kind": {"help_text": "Section, chapter, article, paragraph…"},
            "depth": {"help_text": "Its level in the tree: 0 at the top."},
            "content_hash": {"help_text": "SHA-256 of its texts and its children's: equal hashes, equal words."},
        }

    def get_texts(self, provision) -> dict[str, dict[str, str]]:
        return {t.language: {"heading": t.heading, "text": t.text} for t in provision.texts.all()}


@field_examples(
    id=1234, lineage=311, kind="paragraph", number="1", path="II/25/1", heading="", text="Rights may be restricted only by law…",
    language="en", is_fallback=False, children=[],
)
class ProvisionNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="provision.pk", help_text="The provision's id.")
    lineage = serializers.IntegerField(source="provision.lineage_id", help_text="Its identity across versions.")
    kind = serializers.CharField(help_text="Section, chapter, article, paragraph…")
    number = serializers.CharField(help_text='Its number as printed: "10", "10-1", "IV".')
    path = serializers.CharField(help_text="Its place in the version: the numbers from the top.")
    heading = serializers.CharField(help_text="Its heading, if any.")
    text = serializers.CharField(help_text="Its own text (its children's are theirs).")
    language = serializers.CharField(help_text="The language of heading and text.")
    is_fallback = serializers.BooleanField(help_text="Whether the text is in the authoritative language, none being in the one asked.")
    children = serializers.SerializerMethodField(help_text="The provisions it is made of, in order, in the same shape.")

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/ProvisionNode"}})
    def get_children(self, node) -> list[dict]:
        return ProvisionNodeSerializer(node.children, many=True).data


@field_examples(files=["constitution-draft-2-kk.docx", "constitution-draft-2-ru.docx"], languages=["kk", "ru"], number=2, label="Draft 2", accept_warnings=False)
class VersionImportSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, help_text="The texts, one file per language: .docx, Markdown or plain text.",
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=[c for c, _l in LANGUAGE_CHOICES] + [""]), required=False,
        help_text="One per file, in the same order; empty to detect from the text.",
    )
    number = serializers.IntegerField(required=False, min_value=0, help_text="Its number; the next one by default.")
    label = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Its label; Draft N by default.")
    accept_warnings = serializers.BooleanField(
        required=False, default=False,
        help_text="Import even though the parser warned (gaps in the numbering, an article far longer than the others ...). "
        "Without it such a text is refused with code parse_warnings, the warnings listed under fields.files.",
    )


@field_examples(old=1, new=2)
class ComparisonQuerySerializer(serializers.Serializer):
    old = serializers.IntegerField(min_value=0, help_text="Number of the earlier version.")
    new = serializers.IntegerField(min_value=0, help_text="Number of the later version.")


@field_examples(id=1234, path="II/25/1", number="1", kind="paragraph")
class ComparisonProvisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The provision's id.")
    path = serializers.CharField(help_text="Its place in its version.")
    number = serializers.CharField(help_text="Its number as printed.")
    kind = serializers.CharField(help_text="Section, chapter, article, paragraph…")


@field_examples(id=812, kind="modified", level="paragraph", similarity=0.82, corrected=False)
class ComparisonChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The change's id (as a concern's decision names it in `changes`).")
    kind = serializers.ChoiceField(choices=ProvisionChange.Kind.choices, help_text="What happened to the provisions.")
    level = serializers.ChoiceField(choices=ProvisionChange.Level.choices, help_text="container, article or paragraph.")
    similarity = serializers.FloatField(help_text="How alike the old and new words are, from 0 to 1.")
    old = ComparisonProvisionSerializer(many=True, help_text="The provisions of the earlier version (none if added).")
    new = ComparisonProvisionSerializer(many=True, help_text="The provisions of the later version (none if removed).")
    corrected = serializers.BooleanField(help_text="Whether an administrator corrected the proposed alignment here.")


@field_examples(path="II", heading="Rights and freedoms", side="new", counts={"unchanged": 12, "modified": 9, "added": 1})
class ComparisonSectionSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="The section's path.")
    heading = serializers.CharField(help_text="Its heading.")
    side = serializers.ChoiceField(choices=["old", "new"], help_text="new; old for a section only the earlier version has.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Its articles by kind of change.")


@field_examples(
    level="article", old_count=98, new_count=95, counts={"unchanged": 14, "modified": 61, "renumbered": 9, "added": 6, "removed": 9},
    changed_share=0.857, changed=84, words_changed=70,
)
class LevelFiguresSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="container, article or paragraph.")
    old_count = serializers.IntegerField(help_text="Provisions of this level in the old version.")
    new_count = serializers.IntegerField(help_text="Provisions of this level in the new version.")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Matches of each kind at this level.")
    changed_share = serializers.FloatField(help_text="Share of the provisions of this level that did not stay unchanged.")
    changed = serializers.IntegerField(help_text="Matches changed in any way: words, number or place.")
    words_changed = serializers.IntegerField(help_text="Matches whose words changed.")


@field_examples(
    old_words=10450, new_words=11230, old_words_changed_share=0.62, new_words_new_share=0.66,
    definitions={"changed_share": "Share of the provisions of this level that did not stay unchanged: …"},
)
class ComparisonFiguresSerializer(serializers.Serializer):
    levels = LevelFiguresSerializer(many=True, help_text="The figures of each level: containers, articles, paragraphs.")
    old_words = serializers.IntegerField(help_text="Words of the old version.")
    new_words = serializers.IntegerField(help_text="Words of the new version.")
    old_words_changed_share = serializers.FloatField(help_text="Share of the old version's words that were deleted or replaced.")
    new_words_new_share = serializers.FloatField(help_text="Share of the new version's words that are new.")
    definitions = serializers.DictField(child=serializers.CharField(), help_text="What each figure means, in words, by its name.")


@field_examples(old=1, new=2, old_version=7, new_version=9, status="done", progress=1.0)
class ComparisonStateSerializer(serializers.Serializer):
    """The state of a comparison: its versions and how far it is computed."""

    old = serializers.IntegerField(help_text="The earlier version's number (as the `old` parameter takes it).")
    new = serializers.IntegerField(help_text="The later version's number (as the `new` parameter takes it).")
    old_version = serializers.IntegerField(help_text="The earlier version's id.")
    new_version = serializers.IntegerField(help_text="The later version's id.")
    status = serializers.ChoiceField(
        choices=COMPARISON_STATUSES, help_text="pending, running, done, failed, or not_requested.",
    )
    progress = serializers.FloatField(help_text="How far it is computed, from 0 to 1.")


class ComparisonSerializer(ComparisonStateSerializer):
    """What changed between two versions: the figures with their definitions, per section, and every change."""

    figures = ComparisonFiguresSerializer(help_text="The summary figures, with their definitions.")
    sections = ComparisonSectionSerializer(many=True, help_text="Articles by kind of change in each section.")
    changes = ComparisonChangeSerializer(many=True, help_text="Every change (of the `kind` and `level` asked), in reading order.")


@field_examples(
    message="The comparison could not be computed. An administrator can retry it.", code="comparison_failed", fields={},
    error="MemoryError: out of memory", attempts=3,
)
class ComparisonUnavailableSerializer(ComparisonStateSerializer):
    """A comparison that failed or was never requested, in the shape of every API error with its state."""

    message = serializers.CharField(help_text="What happened, in the reader's language.")
    code = serializers.CharField(help_text="comparison_failed or comparison_not_requested.")
    error = serializers.CharField(required=False, help_text="Why it failed: shown to administrators only.")
    attempts = serializers.IntegerField(required=False, help_text="How often a worker tried it: shown to administrators only.")

    def get_fields(self):
        # `fields` is every API error's key, and a Serializer's own attribute: declared here, not on the class.
        fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), help_text="Always empty here.")
        return {**super().get_fields(), "fields": fields}


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents being drafted, with their versions."""

    serializer_class = DocumentSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.document_list()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "public_only": _public_only(self.request)}

    @extend_schema(
        parameters=[
            OpenApiParameter("old", OpenApiTypes.INT, required=True, description="earlier version number"),
            OpenApiParameter("new", OpenApiTypes.INT, required=True, description="later version number"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="only changes of this kind"),
            OpenApiParameter("level", OpenApiTypes.STR, description="container, article or paragraph"),
        ],
        responses={200: ComparisonSerializer, 202: ComparisonStateSerializer, 409: ComparisonUnavailableSerializer},
        summary="What changed between two versions",
    )
    @action(detail=True, methods=["get"])
    def comparison(self, request, slug=None):
        """Figures (with their definitions) and every change. Only reads: while the comparison is
        computed, 202 with its status and progress; when it failed or was never requested, 409 with
        `status` "failed" or "not_requested" (an admin requests or retries it with POST)."""
        old, new = self._comparison_pair(request, request.query_params)
        alignment = selectors.alignment_get(old_version=old, new_version=new)
        if alignment is None or alignment.status != alignment.Status.DONE:
            return _comparison_state(request, old, new, alignment)
        changes = selectors.comparison_changes(
            alignment=alignment, kind=request.query_params.get("kind") or None, level=request.query_params.get("level") or None
        )
        sections = [
            {"path": s.path, "heading": s.heading, "side": s.side, "counts": s.counts}
            for s in selectors.comparison_by_section(alignment=alignment)
        ]
        return Response(
            {
                **_comparison_head(old, new, alignment), "figures": alignment.figures, "sections": sections,
                "changes": [_change_payload(c) for c in changes],
            }
        )

    @extend_schema(
        request=ComparisonQuerySerializer,
        responses={200: ComparisonStateSerializer, 202: ComparisonStateSerializer, 409: ComparisonUnavailableSerializer},
        summary="Request a comparison, or retry a failed one (admins)",
    )
    @comparison.mapping.post
    def comparison_request(self, request, slug=None):
        """Create and queue the comparison of `old` with `new` if nobody requested it, or queue a failed
        one again; the state is returned as GET returns it."""
        if not selectors.is_draft_admin(user=request.user):
            raise PermissionDenied(_("Only an administrator can request a comparison."), code="not_admin")
        old, new = self._comparison_pair(request, request.data)
        alignment = services.alignment_request(new_version=new, old_version=old, retry=True)
        return _comparison_state(request, old, new, alignment)

    def _comparison_pair(self, request, data) -> tuple[DraftVersion, DraftVersion]:
        document = self.get_object()
        query = ComparisonQuerySerializer(data=data)
        query.is_valid(raise_exception=True)
        public_only = _public_only(request)
        old = selectors.draft_version_get(document=document, number=query.validated_data["old"], public_only=public_only)
        new = selectors.draft_version_get(document=document, number=query.validated_data["new"], public_only=public_only)
        if old.number >= new.number:
            raise ApplicationError("`old` must be an earlier version than `new`.", fields={"old": ["Must be below new."]})
        return old, new

    @extend_schema(
        request={"multipart/form-data": VersionImportSerializer},
        responses={201: VersionSerializer},
        summary="Import a new version (admins)",
    )
    @action(
        detail=True, methods=["post"], url_path="versions",
        permission_classes=[permissions.IsAdminUser], parser_classes=[MultiPartParser, FormParser],
    )
    def import_version(self, request, slug=None):
        """Parse the uploaded texts (one per language) into a version being prepared; nothing is published."""
        document = self.get_object()
        payload = VersionImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        files = payload.validated_data["files"]
        languages = payload.validated_data.get("languages") or [""] * len(files)
        if len(languages) != len(files):
            raise ApplicationError(
                "Give one language per file, or none.", fields={"languages": ["One per file, in the same order."]}
            )
        uploads = [
            services.DraftUpload(filename=f.name, data=f.read(), language=language or None)
            for f, language in zip(files, languages, strict=True)
        ]
        sources = services.draft_sources_parse(uploads=uploads, max_bytes=settings.DRAFT_UPLOAD_MAX_BYTES)
        version = services.draft_version_import(
            document=document, sources=sources,
            number=payload.validated_data.get("number"), label=payload.validated_data.get("label", ""),
            accept_warnings=payload.validated_data["accept_warnings"],
        )
        version = selectors.draft_version_list(public_only=False).get(pk=version.pk)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)



def _comparison_head(old: DraftVersion, new: DraftVersion, alignment: Alignment | None) -> dict:
    versions = {"old": old.number, "new": new.number, "old_version": old.pk, "new_version": new.pk}
    if alignment is None:
        return {**versions, "status": COMPARISON_NOT_REQUESTED, "progress": 0.0}
    return {**versions, "status": alignment.status, "progress": alignment.progress}


def _comparison_state(request, old: DraftVersion, new: DraftVersion, alignment: Alignment | None) -> Response:
    """The state of a comparison without its changes: 202 while pending or running; 409, in the shape of every API
    error (`message`, `code`), when it failed (the error and attempts shown to admins) or was never requested."""
    head = _comparison_head(old, new, alignment)
    if alignment is not None and alignment.status == Alignment.Status.DONE:  # an admin's request of a done one
        return Response(head)
    if alignment is not None and alignment.status in (Alignment.Status.PENDING, Alignment.Status.RUNNING):
        return Response(head, status=status.HTTP_202_ACCEPTED)
    if alignment is None:
        error = InvalidState(_("This comparison has not been computed yet. An administrator can request it."), code="comparison_not_requested")
        return Response({**head, **error.as_dict()}, status=error.status)
    error = InvalidState(_("The comparison could not be computed. An administrator can retry it."), code="comparison_failed")
    details = {"error": alignment.error, "attempts": alignment.attempts} if selectors.is_draft_admin(user=request.user) else {}
    return Response({**head, **error.as_dict(), **details}, status=error.status)


def _change_payload(change) -> dict:
    return {
        "id": change.pk,
        "kind": change.kind,
        "level": change.level,
        "similarity": change.similarity,
        "old": [{"id": p.pk, "path": p.path, "number": p.number, "kind": p.kind} for p in sorted(change.old_provisions.all(), key=lambda p: p.order)],
        "new": [{"id": p.pk, "path": p.path, "number": p.number, "kind": p.kind} for p in sorted(change.new_provisions.all(), key=lambda p: p.order)],
        "corrected": change.corrected_at is not None,
    }


class VersionFilter(django_filters.FilterSet):
    document = django_filters.CharFilter(field_name="document__slug", help_text="A document's slug.")
    status = django_filters.ChoiceFilter(choices=DraftVersion.Status.choices, help_text="Only versions of this status.")
    number = django_filters.NumberFilter(help_text="A version's number within its document (0 for the text in force).")

    class Meta:
        model = DraftVersion
        fields = ["document", "status", "number"]


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of documents. The public sees published and superseded ones; admins also those being prepared."""

    serializer_class = VersionSerializer
    filterset_class = VersionFilter

    def get_queryset(self):
        return selectors.draft_version_list(public_only=_public_only(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("language", OpenApiTypes.STR, description="kk, ru or en; default authoritative")],
        responses=ProvisionNodeSerializer(many=True),
        summary="The version's provisions as a nested tree",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def tree(self, request, pk=None):
        version = self.get_object()
        language = request.query_params.get("language") or version.document.authoritative_language
        roots = selectors.provision_tree_for_version(version=version, language=language)
        return Response(ProvisionNodeSerializer(roots, many=True).data)

    @extend_schema(request=None, responses={200: VersionSerializer}, summary="Publish a version (admins)")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAdminUser])
    def publish(self, request, pk=None):
        """Publish a version being prepared. It can never be edited afterwards."""
        version = self.get_object()
        services.draft_version_publish(version=version, by=request.user)
        return Response(VersionSerializer(self.get_queryset().get(pk=version.pk)).data)


class ProvisionFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version", help_text="A version's id (as a provision's `version` holds it).")
    document = django_filters.CharFilter(field_name="version__document__slug", help_text="A document's slug.")
    kind = django_filters.ChoiceFilter(choices=Provision.Kind.choices, help_text="Only provisions of this kind.")
    number = django_filters.CharFilter(help_text='A number as printed: "10", "10-1", "IV".')
    lineage = IdFilter(field_name="lineage", help_text="A lineage's id: the same provision in every version.")
    path = django_filters.CharFilter(help_text='A path, e.g. "II/25/1".')
    parent = IdFilter(field_name="parent", help_text="The id of the provision they are part of.")
    search = django_filters.CharFilter(method="filter_search", help_text="Words that the heading or text contains, any language.")

    class Meta:
        model = Provision
        fields = ["version", "document", "kind", "number", "lineage", "path", "parent"]

    def filter_search(self, queryset, name, value):
        return selectors.provision_search(provisions=queryset, query=value)


class ProvisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every provision of every public version, flat, in reading order, with its texts in every language."""

    serializer_class = ProvisionSerializer
    filterset_class = ProvisionFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return selectors.provision_queryset(public_only=_public_only(self.request))
