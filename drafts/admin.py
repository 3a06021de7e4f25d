"""Admin for drafts: import with a preview, publish, and published versions shown read-only."""
from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from config.errors import ApplicationError
from config.translations import TranslationsAdminMixin
from drafts import selectors, services
from drafts.forms import DraftUploadForm
from drafts.languages import TEXT_LANGUAGES
from drafts.models import Alignment, Document, DraftVersion, Provision, ProvisionChange, ProvisionText

UPLOAD_CACHE_SECONDS = 60 * 60


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "authoritative_language"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug"]

    def get_urls(self):
        return [
            path("<int:document_id>/import/", self.admin_site.admin_view(self.import_view), name="drafts_document_import"),
        ] + super().get_urls()

    def import_view(self, request, document_id):
        """Upload → preview of the parsed tree → save as a version being prepared."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=document_id)
        context = {**self.admin_site.each_context(request), "document": document, "opts": self.model._meta, "title": _("Import a version")}
        if request.method == "POST" and request.POST.get("token"):
            return self._import_save(request, document, context)
        form = DraftUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            uploads = form.uploads()
            try:
                sources = services.draft_sources_parse(uploads=uploads, max_bytes=settings.DRAFT_UPLOAD_MAX_BYTES)
                context["plan"] = plan = services.draft_import_plan(document=document, sources=sources)
                context["warnings_by_provision"] = plan.warnings_by_provision()
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                context["token"] = _upload_stash(request, uploads)
                context["number"] = form.cleaned_data.get("number")
                context["label"] = form.cleaned_data.get("label") or ""
        context["form"] = form
        return TemplateResponse(request, "admin/drafts/document_import.html", context)

    def _import_save(self, request, document, context):
        uploads = cache.get(_upload_key(request, request.POST["token"]))
        if uploads is None:
            messages.error(request, _("The preview has expired; upload the files again."))
            return redirect("admin:drafts_document_import", document.pk)
        number = request.POST.get("number") or None
        try:
            sources = services.draft_sources_parse(uploads=uploads)
            version = services.draft_version_import(
                document=document, sources=sources, number=int(number) if number else None, label=request.POST.get("label", ""),
                accept_warnings=bool(request.POST.get("accept_warnings")),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("admin:drafts_document_import", document.pk)
        cache.delete(_upload_key(request, request.POST["token"]))
        messages.success(request, _("%(version)s saved. Review it, then publish it.") % {"version": version.label})
        return redirect("admin:drafts_draftversion_change", version.pk)


def _upload_key(request, token: str) -> str:
    return f"draft-upload:{request.user.pk}:{token}"


def _upload_stash(request, uploads: list[services.DraftUpload]) -> str:
    """Keep the uploaded files between the preview and the save, so they are not uploaded twice."""
    token = uuid.uuid4().hex
    cache.set(_upload_key(request, token), uploads, UPLOAD_CACHE_SECONDS)
    return token


@admin.register(DraftVersion)
class DraftVersionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "status", "published_at", "content_hash"]
    list_filter = ["status", "document"]
    actions = ["publish_selected"]
    readonly_fields = [
        "document", "number", "languages_shown", "source_filename", "content_hash", "status", "published_at", "published_by", "created_at",
    ]
    fields = [
        "document", "number", "label", "status", "languages_shown", "source_filename", "content_hash", "created_at", "published_at", "published_by",
    ]
    translated_fields = {"label": forms.CharField}

    def translation_languages(self, obj) -> list[str]:
        """The label is shown in the reader's interface language, so it is given in each of those."""
        return [code for code, _name in settings.LANGUAGES]

    @admin.display(description=_("Languages"))
    def languages_shown(self, version: DraftVersion) -> str:
        return ", ".join(f"{TEXT_LANGUAGES.get(code, code)} ({code})" for code in version.languages) or "—"

    def has_add_permission(self, request):
        return False  # versions are created by importing a text (Documents › Import)

    def get_urls(self):
        return [
            path("<int:version_id>/alignment/", self.admin_site.admin_view(self.alignment_view), name="drafts_draftversion_alignment"),
        ] + super().get_urls()

    def alignment_view(self, request, version_id):
        """The proposed alignment with the previous version, old and new text side by side, the uncertain matches
        (unconfirmed, least similar) first; each match can be confirmed as it is or corrected."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(DraftVersion.objects.select_related("document"), pk=version_id)
        alignment = Alignment.objects.filter(new_version=version).select_related("old_version").order_by("-old_version__number").first()
        if request.method == "POST" and alignment is not None and "retry" in request.POST:
            self._alignment_retry(request, alignment)
            return redirect("admin:drafts_draftversion_alignment", version.pk)
        if request.method == "POST" and alignment is not None:
            change = get_object_or_404(ProvisionChange, pk=request.POST.get("change"), alignment=alignment)
            try:
                if "confirm" in request.POST:
                    services.alignment_change_confirm(change=change, actor=request.user)
                else:
                    services.alignment_change_correct(
                        change=change, actor=request.user, kind=request.POST.get("kind", ""),
                        old_paths=request.POST.get("old_paths", "").split(","), new_paths=request.POST.get("new_paths", "").split(","),
                    )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The match was confirmed; that is recorded.") if "confirm" in request.POST
                                 else _("The match was corrected; the correction is recorded."))
            return redirect(reverse("admin:drafts_draftversion_alignment", args=[version.pk]) + f"#change-{change.pk}")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "version": version, "alignment": alignment,
            "title": _("Alignment with the previous version"), "kinds": ProvisionChange.Kind.choices,
            "review": selectors.alignment_review(alignment=alignment) if alignment and alignment.status == Alignment.Status.DONE else None,
        }
        return TemplateResponse(request, "admin/drafts/version_alignment.html", context)

    def _alignment_retry(self, request, alignment):
        if not request.user.has_perm("drafts.change_alignment"):
            raise PermissionDenied
        try:
            services.alignment_retry(alignment=alignment)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The alignment is queued again."))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and obj is not None and obj.is_editable

    def delete_model(self, request, obj):
        services.draft_version_delete(version=obj)

    @admin.action(description=_("Publish the selected version…"))
    def publish_selected(self, request, queryset):
        """Publishing is never one click: the action leads to the publish page, which moves the comment phase
        and says what will happen before the admin confirms (consult's admin: the app that knows phases)."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose one version: each is published on its own page, after you confirm what will happen."), messages.WARNING)
            return None
        return redirect("admin:consult_version_publish", queryset.get().pk)


@admin.register(Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    """Background alignments, to see which failed (with the error and attempts) and retry them."""

    list_display = ["__str__", "status", "progress_percent", "attempts", "started_at", "heartbeat_at", "finished_at", "error_summary"]
    list_filter = ["status", "new_version__document"]
    list_select_related = ["old_version", "new_version"]
    actions = ["retry_selected"]
    fields = ["old_version", "new_version", "status", "progress", "attempts", "error", "created_at", "started_at", "heartbeat_at", "finished_at", "figures"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # requested by importing, publishing, or the comparison page

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Progress"))
    def progress_percent(self, alignment):
        return f"{alignment.progress:.0%}"

    @admin.display(description=_("Error"))
    def error_summary(self, alignment):
        return alignment.error[:120]

    @admin.action(description=_("Retry the selected failed alignments"), permissions=["change"])
    def retry_selected(self, request, queryset):
        for alignment in queryset:
            try:
                services.alignment_retry(alignment=alignment)
            except ApplicationError as error:
                self.message_user(request, f"{alignment}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(alignment)s is queued again.") % {"alignment": alignment}, messages.SUCCESS)


class ProvisionTextInline(admin.TabularInline):
    model = ProvisionText
    extra = 0
    fields = ["language", "heading", "text"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.version.is_editable

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.version.is_editable

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["path", "kind", "number", "version"]
    list_filter = ["kind", "version__document", "version"]
    search_fields = ["path", "number", "texts__text"]
    list_select_related = ["version__document"]
    readonly_fields = ["version", "lineage", "parent", "kind", "number", "path", "order", "depth", "content_hash"]
    inlines = [ProvisionTextInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        """Corrections to a version being prepared go through the service, which rehashes the version."""
        for text_form in formset.forms:
            if text_form.has_changed() and text_form.cleaned_data:
                data = text_form.cleaned_data
                services.provision_text_update(
                    provision=form.instance, language=data["language"], heading=data.get("heading", ""), text=data.get("text", "")
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
