"""Public record pages: the draft reader and one provision with what people said about it; comment
actions as plain forms (they work without JavaScript); receipts; the commission's moderation queue.

Views parse the request, call one service or selector, and render or redirect.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from comments import page_cache, selectors, services
from comments.chain import selectors as chain_selectors
from comments.moderation import selectors as moderation_selectors
from comments.moderation import services as moderation
from comments.forms import CommentEditForm, CommentForm
from comments.idempotency import KeyReused
from comments.ratelimits import client_ip
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation
from drafts import selectors as draft_selectors
from drafts.citations import provision_citation
from drafts.languages import text_language_is_known
from drafts.models import Document, DraftVersion

ORDER_LABELS = {"newest": gettext_lazy("Newest"), "oldest": gettext_lazy("Oldest"), "endorsed": gettext_lazy("Most endorsed")}


def version_reader_view(request, slug, document_slug, number):
    """The draft's text with its comment counts. The live parts (counts, open phases, comments on removed
    provisions, the versions around it) are read for every request; the text tree is built only when the page
    is rendered, which for a visitor happens once per state of all but the counts, filled in on every
    response (comments.page_cache)."""
    consultation, document, version = _reader_context(slug, document_slug, number, reader=request.user)
    language = _text_language(request, version)
    versions = _public_versions(consultation, document)
    live = {
        "counts": selectors.comment_counts_by_subtree(version=version),
        **_comment_phases(consultation, document, version),
        "removed_comments": list(selectors.comments_on_removed_provisions(version=version)[:50]),
    }

    def context() -> dict:
        tree = draft_selectors.provision_tree_for_version(version=version, language=language)
        previous_version = draft_selectors.draft_version_previous(version=version)
        changed_marks = (
            draft_selectors.version_changed_articles(old_version=previous_version, new_version=version) if previous_version else {}
        )
        return {
            "consultation": consultation,
            "document": document,
            "version": version,
            "versions": versions,
            "language": language,
            "languages": draft_selectors.version_text_languages(version=version),
            "tree": tree,
            **live,
            "previous_version": previous_version,
            "changed_marks": changed_marks,
        }

    stamp = (
        language, consultation.pk, consultation.local_title, document.pk, document.title, version.pk, version.status,
        [(other.pk, other.number, other.status, other.local_label) for other in versions],
        [(phase.pk, phase.version_id, phase.closes_at) for phase in live["open_phases"]],
        [(c.pk, c.status, c.edited_at) for c in live["removed_comments"]],
    )
    counts = live["counts"]
    return page_cache.page_render(
        request, "comments/version_reader.html", version=version, stamp=stamp, context=context,
        fill=lambda html: page_cache.counts_fill(html, counts=counts, open_phase=live["open_phase"]),
        fill_stamp=tuple(sorted((pk, c.own, c.published, c.hidden) for pk, c in counts.items())),
    )


def provision_detail_view(request, slug, document_slug, number, provision_path, form=None, status=200):
    """A provision (an article with its paragraphs) and what people said about it. Its comments, counts and
    the phases are read for every request and stamp the page; a visitor's first page of comments in each
    order is rendered once per stamp (comments.page_cache), the text around them with it."""
    consultation, document, version = _reader_context(slug, document_slug, number, reader=request.user)
    language = _text_language(request, version)
    node = draft_selectors.provision_get(version=version, path=provision_path.strip("/"), language=language)
    order = request.GET.get("order") if request.GET.get("order") in selectors.ORDERINGS else "newest"
    page = selectors.comment_list_for_provision(provision=node.provision, order=order, cursor=request.GET.get("after"))
    blocked = _comment_blocked(request.user, node.provision.pk)
    carried = selectors.comments_carried_forward(provision=node.provision)
    live = {
        "page": page,
        "counts": selectors.comment_counts_by_subtree(version=version, within=node.provision),
        "blocked": blocked,
        **_comment_phases(consultation, document, version),
        "carried": carried,
    }

    def context() -> dict:
        previous, following = draft_selectors.provision_neighbours(provision=node.provision)
        ancestors = draft_selectors.provision_ancestors(provision=node.provision)
        citations = _provision_citations(node, ancestors)
        comment_form = form
        if comment_form is None and blocked is None:
            comment_form = CommentForm(provisions=_provision_choices(node, citations), initial={"provision": node.provision.pk})
        # The neighbours and the earlier versions' provisions are named away from their article too.
        citations |= draft_selectors.provision_citations(
            provisions=[previous, following, *(item.comment.provision for item in carried)], language=get_language() or settings.LANGUAGE_CODE
        )
        return {
            "consultation": consultation,
            "document": document,
            "version": version,
            "language": language,
            "languages": draft_selectors.version_text_languages(version=version),
            "node": node,
            "ancestors": ancestors,
            "citations": citations,
            "endorsed": selectors.comment_ids_endorsed(user=request.user, comments=page.comments),
            "parallel": draft_selectors.provision_parallel_texts(provision=node.provision),
            "previous": previous,
            "following": following,
            "order": order,
            "order_labels": ORDER_LABELS,
            "form": comment_form,
            # One query for the page, however many comments: the flag the commission's buttons are shown by.
            "acts_for_commission": consult_selectors.can_act_for_commission(user=request.user, consultation=consultation),
            "is_followed": consult_selectors.provision_is_followed(user=request.user, provision=node.provision),
            **live,
        }

    if form is not None or status != 200 or blocked is None:  # a form holds its own key: never shared
        return render(request, "comments/provision_detail.html", context(), status=status)
    stamp = (
        language, order, consultation.pk, consultation.local_title, document.pk, document.title, version.pk, version.status,
        node.provision.pk, blocked.code, str(blocked.message), page.next_cursor, page.previous_cursor,
        [_comment_state(comment) for row in page.comments for comment in (row, *row.replies.all())],
        sorted((pk, c.own, c.published, c.hidden) for pk, c in live["counts"].items()),
        [(phase.pk, phase.version_id, phase.closes_at) for phase in live["open_phases"]],
        [(*_comment_state(item.comment), item.anchor, item.current_quote) for item in carried],
    )
    return page_cache.page_render(
        request, "comments/provision_detail.html", version=version, stamp=stamp, context=context, parameters=frozenset({"lang", "order"})
    )


def _comment_state(comment) -> tuple:
    """What of a comment can change after it is written, and so what a cached page of it depends on."""
    return (comment.pk, comment.status, comment.edited_at, comment.withdrawn_at, comment.moderated_at, comment.endorsement_count)


@require_POST
def comment_create_view(request, slug, document_slug, number, provision_path):
    consultation, document, version = _reader_context(slug, document_slug, number)
    node = draft_selectors.provision_get(version=version, path=provision_path.strip("/"), language=document.authoritative_language)
    citations = _provision_citations(node, draft_selectors.provision_ancestors(provision=node.provision))
    form = CommentForm(request.POST, provisions=_provision_choices(node, citations))
    if not form.is_valid():
        return provision_detail_view(request, slug, document_slug, number, provision_path, form=form, status=400)
    language = _text_language(request, version)
    try:
        comment = services.comment_submit(
            author=request.user,
            provision_id=form.cleaned_data["provision"],
            body=form.cleaned_data["body"],
            stance=form.cleaned_data["stance"],
            language=_comment_language(request, document),
            proposed_wording=form.cleaned_data["proposed_wording"],
            quote=form.quote(language),
            parent_id=form.cleaned_data.get("parent"),
            official=form.cleaned_data.get("official", False),
            client_ip=client_ip(request),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except ApplicationError as error:
        if error.status == 429:
            raise
        if isinstance(error, KeyReused):  # sent before with other words (edited after an error page): that comment stands
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex  # so that sending again makes this one a comment of its own
            error = KeyReused(_(
                "This form was already sent with other words, and that comment is recorded. Send it again to add this one as a new comment."
            ))
        for field, errors in error.fields.items():
            form.add_error(field if field in form.fields else ("quote_exact" if field == "quote" else None), errors)
        if not error.fields:
            form.add_error(None, error.message)
        return provision_detail_view(request, slug, document_slug, number, provision_path, form=form, status=error.status)
    return redirect(reverse("receipt-detail", args=[comment.receipt.number]) + "?new=1")


def receipt_detail_view(request, number):
    receipt = chain_selectors.receipt_get(number=number)
    return render(
        request,
        "comments/receipt_detail.html",
        {
            "receipt": receipt, "verified": chain_selectors.receipt_check(receipt=receipt),
            "submitted": chain_selectors.receipt_comment_as_submitted(receipt=receipt, viewer=request.user),
            "head": chain_selectors.chain_head(consultation=receipt.consultation), "is_new": request.GET.get("new") == "1",
        },
    )


def receipt_lookup_view(request):
    number = request.GET.get("number", "").strip()
    if number:
        try:
            return redirect("receipt-detail", chain_selectors.receipt_get(number=number).number)
        except NotFound:
            messages.error(request, _("No receipt has the number %(number)s.") % {"number": number})
    return render(request, "comments/receipt_lookup.html", {"number": number})


def _comment_actions(request, comment_id: int) -> dict:
    """What each action button on a comment does, and what the page says when it has."""
    user, ip, reason = request.user, client_ip(request), request.POST.get("reason", "")
    return {
        "endorse": (lambda: services.comment_endorse(comment_id=comment_id, user=user, client_ip=ip), _("Thank you: your endorsement was added.")),
        "unendorse": (lambda: services.comment_unendorse(comment_id=comment_id, user=user), _("Your endorsement was taken back.")),
        "report": (lambda: moderation.comment_report(comment_id=comment_id, reporter=user, reason=reason, client_ip=ip), _("Thank you: the moderators will look at this comment.")),
        "hide": (lambda: moderation.comment_hide(comment_id=comment_id, moderator=user, reason=reason), _("The comment is hidden; its receipt stays in the chain.")),
        "restore": (lambda: moderation.comment_restore(comment_id=comment_id, moderator=user), _restored_message),
        "dismiss-reports": (lambda: moderation.comment_reports_dismiss(comment_id=comment_id, moderator=user), _("The reports were dismissed.")),
    }


def _restored_message(comment) -> str:
    if comment.status == comment.Status.WITHDRAWN:  # withdrawn by its author while hidden: that holds
        return _("The hiding is lifted; the comment stays withdrawn by its author.")
    return _("The comment is shown again.")


@require_POST
def comment_action_view(request, comment_id, action):
    """One of the buttons under a comment; errors come back as a message on the page they were pressed on."""
    actions = _comment_actions(request, comment_id)
    if action not in actions:
        raise NotFound(_("Unknown action."))
    comment = selectors.comment_get(comment_id=comment_id)
    perform, success_message = actions[action]
    try:
        result = perform()
    except ApplicationError as error:
        if error.status == 429:
            raise
        messages.error(request, error.message, extra_tags=error.code)  # email_unverified: the page adds its link
    else:
        messages.success(request, success_message(result) if callable(success_message) else success_message)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(_comment_url(comment))


@login_required
def comment_withdraw_view(request, comment_id):
    """Withdrawing cannot be undone, so it asks first: "Withdraw" under a comment opens this page (no script
    needed), and only the form on it withdraws."""
    comment = selectors.comment_get(comment_id=comment_id)
    if request.method == "POST":
        try:
            services.comment_withdraw(comment_id=comment_id, author=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your comment is withdrawn; it stays in the public record as withdrawn."))
        return redirect(_comment_url(comment))
    services.comment_withdraw_check(comment=comment, author=request.user)
    return render(request, "comments/comment_withdraw.html", {"comment": comment, "back_url": _comment_url(comment)})


@login_required
def comment_edit_view(request, comment_id):
    comment = selectors.comment_get(comment_id=comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied(_("Only the author can change this comment."), code="not_author")
    form = CommentEditForm(request.POST or None, initial={"stance": comment.stance, "body": comment.body, "proposed_wording": comment.proposed_wording})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment_id=comment_id, author=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your comment was corrected; the previous text is kept in the record."))
            return redirect(_comment_url(comment))
    return render(
        request, "comments/comment_edit.html",
        {"comment": comment, "form": form, "edit_window_minutes": services.edit_window_minutes()},
        status=400 if form.errors else 200,
    )


def moderation_queue_view(request, slug):
    from django.core.paginator import Paginator

    consultation = consult_selectors.consultation_get(slug=slug)
    page = Paginator(moderation_selectors.moderation_queue(consultation=consultation, user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "comments/moderation_queue.html", {"consultation": consultation, "page": page})


def _comment_url(comment) -> str:
    consultation = comment.consultation
    return (
        reverse("provision-detail", args=[consultation.slug, comment.version.document.slug, comment.version.number, comment.provision.path])
        + f"#comment-{comment.pk}"
    )


def _comment_phases(consultation: Consultation, document: Document, version: DraftVersion) -> dict:
    """The comment phases open now on the document's drafts (one query), and the one on this version if any:
    what the page says about where to comment now (templates/consult/_comment_now.html)."""
    open_phases = consult_selectors.comment_phases_open(consultation=consultation, document_id=document.pk)
    return {"open_phases": open_phases, "open_phase": next((phase for phase in open_phases if phase.version_id == version.pk), None)}


def _comment_blocked(user, provision_id: int) -> ApplicationError | None:
    """Why the comment form is not shown (sign in, verify, closed), or None when it is."""
    try:
        services.comment_submit_check(author=user, provision_id=provision_id)
    except ApplicationError as error:
        return error
    return None


def _provision_citations(node, ancestors) -> dict[int, str]:
    """The provision shown and everything below it, by id, named as people cite them in the interface's
    language ("Article 25, paragraph 1", never a bare "1.")."""
    language = get_language() or settings.LANGUAGE_CODE
    citations = {}

    def walk(item, chain):
        chain = [*chain, item]
        citations[item.provision.pk] = provision_citation(chain, language)
        for child in item.children:
            walk(child, chain)

    walk(node, ancestors)
    return citations


def _provision_choices(node, citations: dict[int, str]) -> list[tuple[int, str]]:
    """What a comment may be about: the provision shown (with its heading) or one below it, in reading order."""
    heading = f". {node.heading}" if node.heading else ""
    return [(pk, citation + heading if pk == node.provision.pk else citation) for pk, citation in citations.items()]


def _reader_context(slug: str, document_slug: str, number: int, reader=None) -> tuple[Consultation, Document, DraftVersion]:
    """The version read; with `reader`, an admin may read a version being prepared (a preview), others get 404.
    Commenting passes no reader: nobody comments on a preview."""
    consultation = consult_selectors.consultation_get(slug=slug)
    document = next((link.document for link in consultation.document_links.all() if link.document.slug == document_slug), None)
    if document is None:
        raise NotFound(_("%(consultation)s covers no document %(document)s.") % {"consultation": consultation.title, "document": document_slug})
    if reader is None:
        version = draft_selectors.draft_version_get(document=document, number=number)
    else:
        version = draft_selectors.draft_version_get_for_reading(document=document, number=number, user=reader)
    return consultation, document, version


def _public_versions(consultation: Consultation, document: Document) -> list[DraftVersion]:
    link = next(link for link in consultation.document_links.all() if link.document_id == document.pk)
    return link.document.public_versions


def _comment_language(request, document: Document) -> str:
    """A comment is in the language the participant uses the site in."""
    interface = (get_language() or "").split("-")[0]
    return interface if text_language_is_known(interface) else document.authoritative_language


def _text_language(request, version: DraftVersion) -> str:
    """The text language asked for (?lang=), else the interface language if the version has it, else authoritative."""
    for candidate in (request.GET.get("lang") or request.POST.get("lang"), get_language()):
        if candidate and candidate in version.languages:
            return candidate
    return version.document.authoritative_language
