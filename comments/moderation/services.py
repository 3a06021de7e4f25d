"""Writes of moderation: readers report comments; the commission hides, restores and dismisses reports.

Hiding never deletes: a hidden comment keeps its receipt and its place in the chain, its public reason
is shown, and every action is an audit event written in the same transaction.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.campaigns.services import comment_campaign_refresh
from comments.models import Comment, ModerationEvent, Report
from comments.ratelimits import rate_limit_hit
from comments.services import comment_lock, voice_check
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from consult import selectors as consult_selectors

REPORT_REASON_MAX_LENGTH = 1000
MODERATION_REASON_MAX_LENGTH = 500


def comment_report(*, comment_id: int, reporter: AbstractBaseUser | AnonymousUser, reason: str, client_ip: str | None = None) -> Report:
    """Anyone signed in with a verified address (voice_check) may report a comment to the moderators, once, with a reason."""
    voice_check(user=reporter, signed_out=_("Sign in to report a comment."))
    reason = reason.strip()
    if not reason or len(reason) > REPORT_REASON_MAX_LENGTH:
        raise ApplicationError(
            _("Say briefly why this comment breaks the rules (at most %(max)d characters).") % {"max": REPORT_REASON_MAX_LENGTH},
            fields={"reason": [_("Required.")]},
        )
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("There is no comment %(id)s.") % {"id": comment_id})
    rate_limit_hit(action="report", user_id=reporter.pk, ip=client_ip)
    report = Report(comment=comment, reporter=reporter, reason=reason)
    # "Once per reporter" is left to the unique constraint at insert time, which also catches two reports racing.
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise InvalidState(_("You have already reported this comment."), code="already_reported") from None
    return report


# --- moderation ----------------------------------------------------------------------------------


def comment_hide(*, comment_id: int, moderator: AbstractBaseUser, reason: str) -> Comment:
    """Hide a comment with a public reason. It keeps its receipt and its place in the chain; nothing is deleted."""
    reason = reason.strip()
    if not reason or len(reason) > MODERATION_REASON_MAX_LENGTH:
        raise ApplicationError(_("Give the public reason for hiding this comment."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        _check_moderator(comment, moderator)
        if comment.status == Comment.Status.HIDDEN:
            raise InvalidState(_("This comment is already hidden."), code="already_hidden")
        if comment.status != Comment.Status.PUBLISHED:
            # A withdrawn comment's words are shown to nobody but its author already: there is nothing to hide.
            raise InvalidState(_("Only a published comment can be hidden."), code="not_published")
        comment.status = Comment.Status.HIDDEN
        comment.moderation_reason, comment.moderated_by, comment.moderated_at = reason, moderator, timezone.now()
        comment.full_clean()
        comment.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
        comment_campaign_refresh(comment_id=comment.pk)  # a hidden comment no longer counts, nor shows in its campaign's template
        _reports_close(comment, moderator, Report.Status.ACTIONED)
        _event_record(comment=comment, actor=moderator, action=ModerationEvent.Action.HIDE, reason=reason)
    return comment


def comment_restore(*, comment_id: int, moderator: AbstractBaseUser, reason: str = "") -> Comment:
    """Lift the hiding of a comment (a moderation mistake); the event stays in the audit trail.

    The comment is shown again, unless its author withdrew it while it was hidden: the author's
    withdrawal holds, and it is then shown as withdrawn (its status says so to the caller). The
    moderators can correct their own decision, never publish what its author took back.
    """
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        _check_moderator(comment, moderator)
        if comment.status != Comment.Status.HIDDEN:
            raise InvalidState(_("Only a hidden comment can be restored."), code="not_hidden")
        comment.status = Comment.Status.WITHDRAWN if comment.withdrawn_at else Comment.Status.PUBLISHED
        comment.moderated_by, comment.moderated_at = moderator, timezone.now()
        comment.full_clean()
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
        comment_campaign_refresh(comment_id=comment.pk)
        _event_record(comment=comment, actor=moderator, action=ModerationEvent.Action.RESTORE, reason=reason.strip())
    return comment


def comment_reports_dismiss(*, comment_id: int, moderator: AbstractBaseUser) -> Comment:
    with transaction.atomic():
        comment = comment_lock(comment_id=comment_id)
        _check_moderator(comment, moderator)
        _reports_close(comment, moderator, Report.Status.DISMISSED)
        _event_record(comment=comment, actor=moderator, action=ModerationEvent.Action.DISMISS_REPORTS)
    return comment


def _check_moderator(comment: Comment, user) -> None:
    if not consult_selectors.can_act_for_commission(user=user, consultation=comment.consultation):
        raise PermissionDenied(_("Only the commission of this consultation can moderate its comments."), code="not_commission")


def _event_record(*, comment: Comment, actor, action: str, reason: str = "") -> ModerationEvent:
    event = ModerationEvent(comment=comment, actor=actor, action=action, reason=reason)
    event.full_clean()
    event.save()
    return event


def _reports_close(comment: Comment, moderator, status: str) -> None:
    Report.objects.filter(comment=comment, status=Report.Status.OPEN).update(
        status=status, resolved_at=timezone.now(), resolved_by=moderator
    )
