"""Public record pages: the draft reader and one provision, with what people said about them."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language

from config.errors import NotFound
from consult import selectors as consult_selectors
from consult.models import Consultation
from drafts import selectors as draft_selectors
from drafts.models import Document, DraftVersion


def version_reader_view(request, slug, document_slug, number):
    consultation, document, version = _reader_context(slug, document_slug, number)
    language = _text_language(request, version)
    tree = draft_selectors.provision_tree_for_version(version=version, language=language)
    return render(
        request,
        "drafts/version_reader.html",
        {
            "consultation": consultation,
            "document": document,
            "version": version,
            "versions": _public_versions(consultation, document),
            "language": language,
            "languages": draft_selectors.version_text_languages(version=version),
            "tree": tree,
            "open_phase": consult_selectors.phase_open_for_version(version=version),
        },
    )


def provision_detail_view(request, slug, document_slug, number, provision_path):
    consultation, document, version = _reader_context(slug, document_slug, number)
    language = _text_language(request, version)
    node = draft_selectors.provision_get(version=version, path=provision_path.strip("/"), language=language)
    previous, following = draft_selectors.provision_neighbours(provision=node.provision)
    return render(
        request,
        "drafts/provision_detail.html",
        {
            "consultation": consultation,
            "document": document,
            "version": version,
            "language": language,
            "languages": draft_selectors.version_text_languages(version=version),
            "node": node,
            "ancestors": draft_selectors.provision_ancestors(provision=node.provision),
            "parallel": draft_selectors.provision_parallel_texts(provision=node.provision),
            "previous": previous,
            "following": following,
        },
    )


def _reader_context(slug: str, document_slug: str, number: int) -> tuple[Consultation, Document, DraftVersion]:
    consultation = consult_selectors.consultation_get(slug=slug)
    document = next((link.document for link in consultation.document_links.all() if link.document.slug == document_slug), None)
    if document is None:
        raise NotFound(f"{consultation.title} covers no document {document_slug!r}.")
    version = draft_selectors.draft_version_get(document=document, number=number)
    return consultation, document, version


def _public_versions(consultation: Consultation, document: Document) -> list[DraftVersion]:
    link = next(link for link in consultation.document_links.all() if link.document_id == document.pk)
    return link.document.public_versions


def _text_language(request, version: DraftVersion) -> str:
    """The text language asked for (?lang=), else the interface language if the version has it, else authoritative."""
    for candidate in (request.GET.get("lang"), get_language()):
        if candidate and candidate in version.languages:
            return candidate
    return version.document.authoritative_language
