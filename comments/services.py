"""Writes of the comments app: submitting, editing, withdrawing and endorsing comments.

Every `comment_*` service first checks (input, then rights, then state) and only then writes,
inside one transaction: a refused call changes nothing. A comment and its receipt are committed
before the caller answers; e-mail goes through the outbox after commit, so Redis or a worker
being down delays the e-mail and never the comment.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments import idempotency, selectors, storage
from comments.campaigns.services import campaigns_assign_soon, comment_campaign_refresh
from comments.notifications.services import outbox_send_soon
from comments.models import (
    BODY_MAX_LENGTH,
    Comment,
    CommentRevision,
    Endorsement,
)
from comments.quotes import quote_locate
from comments.ratelimits import rate_limit_hit
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from drafts.languages import text_language_is_known
from drafts.models import DraftVersion, Provision

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class QuoteInput:
    """The words of the provision a comment is about, as the reader selected (or typed) them."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    language: str = ""


# --- submitting ---------------------------------------------------------------------------------


def comment_submit(
    *,
    author: AbstractBaseUser | AnonymousUser,
    provision_id: int,
    body: str,
    stance: str,
    language: str,
    proposed_wording: str = "",
    quote: QuoteInput | None = None,
    parent_id: int | None = None,
    official: bool = False,
    client_ip: str | None = None,
    idempotency_key: str = "",
) -> Comment:
    """Accept a comment on one provision of a published version while its comment phase is open.

    Returns the saved comment with its receipt; raises ApplicationError (400/403/404/422/429) otherwise.
    With an `idempotency_key` the author already made a comment with, it returns that comment (with
    `replayed` set) and writes nothing, even if the phase has closed since: the client is retrying a
    submission whose answer it did not get (comments/idempotency.py).
    """
    body, proposed_wording = body.strip(), proposed_wording.strip()
    if official and parent_id is not None:
        stance = ""  # the commission's answer takes no position: it is shown as the answer, never as a stance
    if idempotency_key:
        _check_signed_in(author)
        idempotency.submission_key_check(idempotency_key)
        request_hash = idempotency.submission_request_hash(
            provision=provision_id, body=body, stance=stance, language=language, proposed_wording=proposed_wording,
            quote=quote, parent=parent_id, official=official,
        )
        earlier = idempotency.submission_earlier(author_id=author.pk, key=idempotency_key, request_hash=request_hash)
        if earlier is not None:
            return _comment_replayed(earlier)
    _check_comment_text(body=body, stance=stance, language=language, proposed_wording=proposed_wording, is_reply=parent_id is not None)
    quoting = bool(quote and quote.exact.strip())
    context = _check_context(
        selectors.comment_submission_context(
            provision_id=provision_id, user_id=author.pk, with_quote=quoting, quote_language=quote.language if quoting else None
        ),
        author=author, provision_id=provision_id,
    )
    provision, phase, participant = context.provision, context.phase, context.participant
    parent = _check_parent(parent_id, provision) if parent_id else None
    if official and not consult_selectors.can_act_for_commission(user=author, consultation=phase.consultation):
        raise PermissionDenied(_("Only members of the commission can reply officially."), code="not_commission")
    span = _check_quote(quote, context.quoted_text) if quoting else None
    rate_limit_hit(action="comment", user_id=author.pk, ip=client_ip)

    comment = Comment(
        consultation=phase.consultation,
        version=provision.version,
        provision=provision,
        lineage_id=provision.lineage_id,
        author=author,
        parent=parent,
        is_official=official,
        author_name=participant.display_name,
        submitter_type=participant.submitter_type,
        organisation_name=participant.organisation_name,
        stance=stance,
        body=body,
        proposed_wording=proposed_wording,
        language=language,
    )
    if span:
        comment.quote_exact, comment.quote_prefix, comment.quote_suffix = span.exact, span.prefix, span.suffix
        comment.quote_start, comment.quote_end = span.start, span.end
        comment.quote_language = context.quoted_language  # the language of the text the words were found in
    if not idempotency_key:
        storage.comment_store(comment, receipt_email=context.receipt_email, consultation_slug=phase.consultation.slug)
    else:
        try:
            with transaction.atomic():
                storage.comment_store(comment, receipt_email=context.receipt_email, consultation_slug=phase.consultation.slug)
                idempotency.submission_key_record(
                    author_id=author.pk, key=idempotency_key, request_hash=request_hash, comment_id=comment.pk
                )
        except IntegrityError:  # the same submission sent twice at once: the other one made the comment
            earlier = idempotency.submission_earlier(author_id=author.pk, key=idempotency_key, request_hash=request_hash)
            if earlier is None:
                raise
            return _comment_replayed(earlier)
    outbox_send_soon()
    campaigns_assign_soon()
    comment.replayed = False
    return comment


def _comment_replayed(comment_id: int) -> Comment:
    comment = selectors.comment_get(comment_id=comment_id)
    comment.replayed = True
    return comment


def comment_submit_check(*, author: AbstractBaseUser | AnonymousUser, provision_id: int) -> selectors.SubmissionContext:
    """May this user comment on this provision now? Raises the reason if not; writes nothing.

    Pages call it to decide whether to show the comment form or say why not.
    """
    _check_signed_in(author)  # before any query: most readers are anonymous
    context = selectors.comment_submission_context(provision_id=provision_id, user_id=author.pk)
    return _check_context(context, author=author, provision_id=provision_id)


def _check_context(
    context: selectors.SubmissionContext | None, *, author: AbstractBaseUser | AnonymousUser, provision_id: int
) -> selectors.SubmissionContext:
    """The provision exists and is published, the author may comment, and its version is open for comment."""
    if context is None or context.provision.version.status == DraftVersion.Status.PREPARING:
        raise NotFound(_("There is no published provision %(id)s.") % {"id": provision_id}, code="provision_not_found")
    voice_check(user=author, signed_out=_("Sign in to comment."), verified=context.receipt_email is not None)
    if context.participant is None:
        raise PermissionDenied(_("Choose a public display name in your profile before commenting."), code="profile_missing")
    version = context.provision.version
    if version.status == DraftVersion.Status.SUPERSEDED:
        raise PermissionDenied(
            _("%(version)s has been superseded; comment on the current draft.") % {"version": version.label},
            code="version_superseded",
        )
    if context.phase is None:
        raise PermissionDenied(_("%(version)s is not open for comment now.") % {"version": version.label}, code="phase_closed")
    return context


def _check_signed_in(author: AbstractBaseUser | AnonymousUser) -> None:
    if not author.is_authenticated:
        raise PermissionDenied(_("Sign in to comment."), code="not_authenticated")


def voice_check(*, user: AbstractBaseUser | AnonymousUser, signed_out: str, verified: bool | None = None) -> None:
    """The one rule for every write that counts as a person's voice (a comment or reply, an endorsement,
    a report): a signed-in account with a verified e-mail address. Otherwise one account per throwaway
    address could add its weight to what others said or bury it under reports.

    Raises PermissionDenied: not_authenticated with `signed_out` (what to sign in for), else
    email_unverified, with the one message every page shows beside its link to send the confirmation
    again. `verified` is what the caller already read (comment_submit reads it in its one query);
    None reads it here.
    """
    if not user.is_authenticated:
        raise PermissionDenied(signed_out, code="not_authenticated")
    if verified is None:
        verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    if not verified:
        raise PermissionDenied(
            _("Confirm your e-mail address before you comment, endorse or report; we sent you a link."), code="email_unverified"
        )


def _check_comment_text(*, body: str, stance: str, language: str, proposed_wording: str, is_reply: bool = False) -> None:
    """A comment states its position (nothing is chosen for the author); a reply may leave it blank."""
    fields: dict[str, list[str]] = {}
    if not body:
        fields["body"] = [_("Write your comment.")]
    elif len(body) > BODY_MAX_LENGTH:
        fields["body"] = [_("A comment can be at most %(max)d characters; this one has %(n)d.") % {"max": BODY_MAX_LENGTH, "n": len(body)}]
    if not stance and not is_reply:
        fields["stance"] = [_("Choose your position: support, oppose, propose wording or question.")]
    elif stance and stance not in Comment.Stance.values:
        fields["stance"] = [_("Choose support, oppose, propose wording or question.")]
    if stance == Comment.Stance.PROPOSE_WORDING and not proposed_wording:
        fields["proposed_wording"] = [_("Give the wording you propose.")]
    if len(proposed_wording) > BODY_MAX_LENGTH:
        fields["proposed_wording"] = [_("The proposed wording can be at most %(max)d characters.") % {"max": BODY_MAX_LENGTH}]
    if not text_language_is_known(language):  # the language the comment is written in: any text language
        fields["language"] = [_("Unknown language.")]
    if fields:
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields)


def _check_parent(parent_id: int, provision: Provision) -> Comment:
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or parent.provision_id != provision.pk:
        raise ApplicationError(_("The comment you reply to is not on this provision."), fields={"parent": [_("Not found here.")]})
    if parent.parent_id is not None:
        raise ApplicationError(_("Reply to the original comment, not to a reply."), fields={"parent": [_("Replies are one level deep.")]}, code="reply_depth")
    if not parent.is_visible:
        raise ApplicationError(_("That comment is no longer shown, so it cannot be replied to."), fields={"parent": [_("Not shown.")]})
    return parent


def _check_quote(quote: QuoteInput, provision_text: str | None):
    span = quote_locate(provision_text or "", quote.exact, prefix=quote.prefix, suffix=quote.suffix, start=quote.start)
    if span is None:
        message = _("The quoted words are not in the text of this provision.")
        raise ApplicationError(message, fields={"quote": [message]}, code="quote_not_found")
    return span


def comment_edit(*, comment_id: int, author: AbstractBaseUser, body: str, stance: str | None = None, proposed_wording: str | None = None) -> Comment:
    """Correct a comment within the edit window, unless it was moderated; the previous text is kept."""
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        _check_author(comment, author)
        if comment.status != Comment.Status.PUBLISHED:
            raise PermissionDenied(_("A hidden or withdrawn comment cannot be edited."), code="not_editable")
        window = timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS)
        if timezone.now() > comment.created_at + window:
            minutes = edit_window_minutes()
            raise PermissionDenied(
                ngettext(
                    "Comments can be corrected for %(minutes)d minute after sending; add a reply instead.",
                    "Comments can be corrected for %(minutes)d minutes after sending; add a reply instead.",
                    minutes,
                ) % {"minutes": minutes},
                code="edit_window_closed",
            )
        stance = "" if comment.is_official else (stance or comment.stance)
        proposed_wording = comment.proposed_wording if proposed_wording is None else proposed_wording.strip()
        _check_comment_text(
            body=body.strip(), stance=stance, language=comment.language, proposed_wording=proposed_wording, is_reply=comment.parent_id is not None
        )
        revision = CommentRevision(comment=comment, body=comment.body, proposed_wording=comment.proposed_wording, stance=comment.stance)
        comment.body, comment.stance, comment.proposed_wording = body.strip(), stance, proposed_wording
        comment.edited_at = timezone.now()
        revision.full_clean()
        comment.full_clean()
        revision.save()
        comment.save(update_fields=["body", "stance", "proposed_wording", "edited_at"])
        if revision.body != comment.body:  # its campaign, if any, was found for the words it no longer has
            comment_campaign_refresh(comment_id=comment.pk, text_changed=True)
    return comment


def edit_window_minutes() -> int:
    """How long an author may correct a comment (settings.COMMENT_EDIT_WINDOW_SECONDS), in whole minutes."""
    return max(1, settings.COMMENT_EDIT_WINDOW_SECONDS // 60)


def comment_withdraw_check(*, comment: Comment, author: AbstractBaseUser | AnonymousUser) -> None:
    """Whether `author` may withdraw `comment` now: the page that asks for confirmation is shown only then."""
    _check_author(comment, author)
    if comment.withdrawn_at is not None or comment.status == Comment.Status.WITHDRAWN:
        raise InvalidState(_("This comment is already withdrawn."), code="already_withdrawn")


def comment_withdraw(*, comment_id: int, author: AbstractBaseUser) -> Comment:
    """The author withdraws a comment: it stays in the record (and the chain), shown as withdrawn.

    A hidden comment stays hidden, with its public reason: the author's withdrawal is recorded beside
    the moderators' decision (withdrawn_at), never in its place, so withdrawing cannot erase a decision
    from public view. `status` is what the public sees, and hidden outranks withdrawn.
    """
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        comment_withdraw_check(comment=comment, author=author)
        if comment.status == Comment.Status.PUBLISHED:
            comment.status = Comment.Status.WITHDRAWN
        comment.withdrawn_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["status", "withdrawn_at"])
        comment_campaign_refresh(comment_id=comment.pk)  # a withdrawn comment no longer counts, nor shows in its template
    return comment


def comment_lock(*, comment_id: int) -> Comment:
    """The comment, locked until the caller's transaction ends (the caller must hold one)."""
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("There is no comment %(id)s.") % {"id": comment_id})
    return comment


def _check_author(comment: Comment, user) -> None:
    if not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change this comment."), code="not_author")


# --- endorsing ---------------------------------------------------------------------------------


def comment_endorse(*, comment_id: int, user: AbstractBaseUser | AnonymousUser, client_ip: str | None = None) -> Comment:
    """Add the user's "+1" to a comment, once."""
    voice_check(user=user, signed_out=_("Sign in to endorse a comment."))
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PUBLISHED:
        raise NotFound(_("There is no comment %(id)s to endorse.") % {"id": comment_id})
    if comment.author_id == user.pk:
        raise ApplicationError(_("You cannot endorse your own comment."), code="own_comment")
    rate_limit_hit(action="endorse", user_id=user.pk, ip=client_ip)
    endorsement = Endorsement(comment=comment, user=user)
    # "Once per user" is left to the unique constraint at insert time, which also catches two endorsements racing.
    endorsement.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            endorsement.save()
            Comment.objects.filter(pk=comment.pk).update(endorsement_count=F("endorsement_count") + 1)
    except IntegrityError:
        raise InvalidState(_("You have already endorsed this comment."), code="already_endorsed") from None
    comment.refresh_from_db(fields=["endorsement_count"])
    return comment


def comment_unendorse(*, comment_id: int, user: AbstractBaseUser | AnonymousUser) -> Comment:
    """Take back the user's "+1": the endorsement row goes and the count drops by one, in one transaction.

    Needs no verified address (voice_check): taking one's voice back adds none, and an endorsement
    given before this rule can still be withdrawn.

    Allowed whatever the comment's status: an endorsement of a comment hidden later can still be
    taken back. Two take-backs racing delete the row once; the second finds nothing and changes nothing.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to take back an endorsement."), code="not_authenticated")
    with transaction.atomic():
        deleted, _rows = Endorsement.objects.filter(comment_id=comment_id, user_id=user.pk).delete()
        if not deleted:
            raise NotFound(_("You have not endorsed this comment."), code="not_endorsed")
        Comment.objects.filter(pk=comment_id).update(endorsement_count=F("endorsement_count") - 1)
    return Comment.objects.get(pk=comment_id)


