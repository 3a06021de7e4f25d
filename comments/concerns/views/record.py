"""The public record, "What we heard and what changed": for a consultation (all of it or one document), for
one provision, and the two tables commissions publish (the summary of comments, the comparative table of two
versions) as pages, with their downloads. Works without JavaScript; anyone may read it."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comments.concerns import exports, selectors, tables
from comments.concerns.views import common
from config.errors import NotFound
from consult import selectors as consult_selectors
from consult.models import Consultation
from drafts import selectors as draft_selectors
from drafts.models import Document, DraftVersion

SUMMARY_PAGE_SIZE = 50


def concerns_public_view(request, slug):
    """What we heard and what changed: the accounted-for figures (in all, per document), then every concern
    (or one document's, ?document=<slug>) grouped by decision, and the links to the tables."""
    consultation = consult_selectors.consultation_get(slug=slug)
    document = _document_of(consultation, request.GET["document"]) if request.GET.get("document") else None
    page = Paginator(selectors.concern_list_public(consultation=consultation, document=document), common.PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = list(page.object_list)
    common.attach_provisions(concerns)
    by_document = selectors.comments_accounted_for_by_document(consultation=consultation)
    return render(
        request, "comments/concerns/public.html",
        {
            "consultation": consultation, "page": page, "concerns": concerns, "document": document,
            "accounted": selectors.comments_accounted_for(consultation=consultation, document=document),
            "documents": [
                {"document": link.document, "accounted": by_document[link.document_id], "pairs": _consecutive(link.document.public_versions)}
                for link in consultation.document_links.all()
            ],
            "acts_for_commission": consult_selectors.can_act_for_commission(user=request.user, consultation=consultation),
        },
    )


def provision_record_view(request, slug, document_slug, number, provision_path):
    """One provision's record: its words in that version, how many of the comments on it (in every version) are
    answered, and the concerns about it or what is below it, each with its decision and the changed words."""
    consultation = consult_selectors.consultation_get(slug=slug)
    document = _document_of(consultation, document_slug)
    version = draft_selectors.draft_version_get(document=document, number=number)
    language = _text_language(request, version)
    node = draft_selectors.provision_get(version=version, path=provision_path.strip("/"), language=language)
    concerns = selectors.concern_list_for_provision(consultation=consultation, provision=node.provision)
    page = Paginator(concerns, common.PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = list(page.object_list)
    common.attach_provisions(concerns)
    changes = selectors.concern_changes_public(concerns=concerns)
    for concern in concerns:
        concern.change_rows = changes.get(concern.pk, [])
    return render(
        request, "comments/concerns/provision_record.html",
        {
            "consultation": consultation, "document": document, "version": version, "node": node, "language": language,
            "languages": draft_selectors.version_text_languages(version=version),
            "ancestors": draft_selectors.provision_ancestors(provision=node.provision),
            "accounted": selectors.comments_accounted_for(consultation=consultation, provision=node.provision, across_versions=True),
            "page": page, "concerns": concerns,
        },
    )


def summary_table_view(request, slug):
    """The summary of comments (element | author | comment | decision | reasoning), 50 rows a page; a campaign is one row."""
    consultation = consult_selectors.consultation_get(slug=slug)
    page = Paginator(tables.summary_row_heads(consultation=consultation), SUMMARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "comments/concerns/summary_table.html",
        {
            "consultation": consultation, "page": page, "rows": list(tables.summary_rows(comments=page.object_list)),
            "titles": exports.column_titles(),
            "title": _("Summary of comments: %(consultation)s") % {"consultation": consultation.title},
            "downloads": _downloads("table-summary", slug),
        },
    )


def comparative_table_view(request, slug, document_slug, old_number, new_number):
    """The comparative table of two versions (element | old wording | new wording | concerns addressed | rationale)."""
    consultation = consult_selectors.consultation_get(slug=slug)
    alignment = selectors.alignment_done_for(consultation=consultation, document_slug=document_slug, old_number=old_number, new_number=new_number)
    document = alignment.new_version.document
    return render(
        request, "comments/concerns/comparative_table.html",
        {
            "consultation": consultation, "document": document, "alignment": alignment,
            "rows": tables.comparative_table(alignment=alignment), "titles": exports.column_titles(),
            "title": _("Comparative table: %(document)s, %(old)s → %(new)s")
            % {"document": document.title, "old": alignment.old_version.label, "new": alignment.new_version.label},
            "downloads": _downloads("table-comparative", slug, document_slug, old_number, new_number),
        },
    )


def _document_of(consultation: Consultation, document_slug: str) -> Document:
    document = next((link.document for link in consultation.document_links.all() if link.document.slug == document_slug), None)
    if document is None:
        raise NotFound(_("%(consultation)s covers no document %(document)s.") % {"consultation": consultation.title, "document": document_slug})
    return document


def _downloads(url_name: str, *args) -> list[tuple[str, str]]:
    """The table's files (comments.concerns.apis: the same rows, in the request's language), format and address."""
    return [(fmt, reverse(url_name, args=[*args, fmt])) for fmt in ("csv", "docx", "json")]


def _consecutive(versions: list[DraftVersion]) -> list[tuple[DraftVersion, DraftVersion]]:
    """Each public version with the one before it: the pairs a comparative table is published for."""
    return list(zip(versions, versions[1:]))


def _text_language(request, version: DraftVersion) -> str:
    """The text language asked for (?lang=), else the interface language if the version has it, else the authoritative one."""
    for candidate in (request.GET.get("lang"), get_language()):
        if candidate and candidate in version.languages:
            return candidate
    return version.document.authoritative_language
