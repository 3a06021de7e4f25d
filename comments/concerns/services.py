"""Writes of concerns: raising them from comments, moving them through review, deciding them.

Every service checks (input, then rights, then state) before it writes, in one transaction that
also writes the audit event: a refused call changes nothing. Who may: members of the consultation's
commission (consult.selectors.can_act_for_commission), the one rule. A decision is also appended to
the consultation's receipt chain; changing a decision is a new decision and a new link, never an edit.
Locks: the concern row, then the chain's head (taken last, by chain_append).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import receipts
from comments.chain.services import chain_append
from comments.models import Comment, CommentNoAnswer, Concern, ConcernComment, ConcernEvent, NormReference, Receipt
from comments.concerns.models import DECIDED
from comments.notifications.services import outbox_emails_add, site_url
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from consult.models import Consultation
from consult.selectors import can_act_for_commission
from drafts.models import DraftVersion, ProvisionChange

TITLE_MAX_LENGTH = 300
RATIONALE_MAX_LENGTH = 10_000
NO_ANSWER_REASON_MAX_LENGTH = 500
WEB_ADDRESS = URLValidator(schemes=["http", "https"])
S = Concern.Status
# Which status may follow which without a decision; decisions are made (and remade) by concern_decide.
TRANSITIONS = {
    S.OPEN: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.OPEN, S.WITHDRAWN},
    S.WITHDRAWN: {S.OPEN},
}


@dataclass(frozen=True)
class NormInput:
    label: str
    url: str = ""


def concern_create(
    *, actor: AbstractBaseUser, consultation_id: int, title: str, summary: str = "", comment_ids: Sequence[int] = (),
    lineage_ids: Sequence[int] = (),
) -> Concern:
    """Raise a concern from comments (and/or provisions) of one document of the consultation.

    Its lineages are those of its comments' provisions plus `lineage_ids`; the version it was raised
    in is the newest version its comments were made on (or the document's newest public version).
    """
    title = _valid_title(title)
    consultation = _consultation_for(actor, consultation_id)
    comments = _comments_of(consultation, comment_ids)
    if not comments and not lineage_ids:
        message = _("A concern is about at least one comment or provision.")
        raise ApplicationError(message, fields={"comments": [message]})
    versions = _versions_of(consultation, comments, lineage_ids)
    documents = {version.document_id for version in versions}
    if len(documents) != 1:
        message = _("A concern is about provisions of one document.")
        raise ApplicationError(message, fields={"comments": [message]})
    with transaction.atomic():
        concern = Concern(
            consultation=consultation, document_id=documents.pop(), title=title, summary=summary.strip(),
            raised_in=max(versions, key=lambda version: version.number), created_by=actor,
        )
        concern.full_clean()
        concern.save()
        concern.lineages.set({comment.lineage_id for comment in comments} | set(lineage_ids))
        ConcernComment.objects.bulk_create([ConcernComment(concern=concern, comment=comment, added_by=actor) for comment in comments])
        ConcernEvent.objects.create(concern=concern, actor=actor, from_status=S.OPEN, to_status=S.OPEN, reason=_("Raised."))
    return concern


def concern_comments_add(*, actor: AbstractBaseUser, concern_id: int, comment_ids: Sequence[int]) -> Concern:
    """Put more comments behind a concern (bulk assignment); their provisions join its lineages. Idempotent."""
    with transaction.atomic():
        concern = _concern_locked(actor, concern_id)
        comments = _comments_of(concern.consultation, comment_ids)
        if any(comment.version.document_id != concern.document_id for comment in comments):
            message = _("These comments are about another document than the concern.")
            raise ApplicationError(message, fields={"comments": [message]})
        present = set(concern.links.values_list("comment_id", flat=True))
        ConcernComment.objects.bulk_create(
            [ConcernComment(concern=concern, comment=comment, added_by=actor) for comment in comments if comment.pk not in present]
        )
        concern.lineages.add(*{comment.lineage_id for comment in comments})
    return concern


def concern_transition(*, actor: AbstractBaseUser, concern_id: int, to_status: str, reason: str = "") -> Concern:
    """Move a concern that is not decided: open ⇄ under review, withdrawn, reopened. Decisions go through concern_decide."""
    with transaction.atomic():
        concern = _concern_locked(actor, concern_id)
        if concern.merged_into_id is not None:
            raise InvalidState(
                _("This concern is merged into #%(id)s, with its comments; work on that one.") % {"id": concern.merged_into_id},
                code="concern_merged",
            )
        if to_status not in TRANSITIONS.get(concern.status, set()):
            raise InvalidState(
                _("A concern that is %(from)s cannot become %(to)s this way.")
                % {"from": concern.get_status_display().lower(), "to": _status_label(to_status)},
                code="transition_not_allowed",
            )
        ConcernEvent.objects.create(concern=concern, actor=actor, from_status=concern.status, to_status=to_status, reason=reason.strip())
        concern.status = to_status
        concern.full_clean()
        concern.save(update_fields=["status"])
    return concern


def concern_assign(*, actor: AbstractBaseUser, concern_id: int, reviewer: AbstractBaseUser) -> Concern:
    """Give a concern to a reviewer, who must be a member of the consultation's commission."""
    with transaction.atomic():
        concern = _concern_locked(actor, concern_id)
        if not can_act_for_commission(user=reviewer, consultation=concern.consultation):
            message = _("The reviewer must be a member of this consultation's commission.")
            raise ApplicationError(message, fields={"reviewer": [message]}, code="reviewer_not_commission")
        concern.reviewer = reviewer
        concern.save(update_fields=["reviewer"])
    return concern


def concern_decide(
    *, actor: AbstractBaseUser, concern_id: int, status: str, rationale: str, resolved_in_id: int | None = None,
    change_ids: Sequence[int] = (), norms: Sequence[NormInput] = (), revises: bool = False,
) -> Concern:
    """Decide a concern (accepted, partially accepted, rejected, out of scope) with a rationale.

    The decision is an audit event and a new link of the receipt chain. A decided concern is decided
    again only with `revises=True`: that is a new decision and a new link; the earlier ones stay.
    `change_ids` are ProvisionChanges of `resolved_in`'s alignment that carry the resolution.
    """
    rationale = rationale.strip()
    fields = {}
    if status not in DECIDED:
        fields["status"] = [_("Choose accepted, partially accepted, rejected or out of scope.")]
    if not rationale or len(rationale) > RATIONALE_MAX_LENGTH:
        fields["rationale"] = [_("Every decision states its rationale (at most %(max)d characters).") % {"max": RATIONALE_MAX_LENGTH}]
    if any(not norm.label.strip() for norm in norms):
        fields["norms"] = [_("Name each norm referred to, e.g. “ICCPR art. 18(3)”.")]
    elif bad_url := next((norm.url.strip() for norm in norms if not _is_web_address(norm.url.strip())), None):
        fields["norms"] = [_("“%(url)s” is not a web address.") % {"url": bad_url}]
    if fields:
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields)
    with transaction.atomic():
        concern = _concern_locked(actor, concern_id)
        if concern.is_decided and not revises:
            raise InvalidState(
                _("This concern is already decided; revising a decision records a new decision."), code="already_decided"
            )
        if concern.status == S.WITHDRAWN:
            raise InvalidState(_("A withdrawn concern cannot be decided; reopen it first."), code="transition_not_allowed")
        resolved_in = _resolved_in(concern, resolved_in_id)
        changes = _changes_of(concern, resolved_in, change_ids)
        concern.norms.all().delete()
        NormReference.objects.bulk_create([NormReference(concern=concern, label=n.label.strip(), url=n.url.strip()) for n in norms])
        event = ConcernEvent.objects.create(
            concern=concern, actor=actor, from_status=concern.status, to_status=status, reason=rationale,
            decision={
                "resolved_in": resolved_in.pk if resolved_in else None,
                "changes": sorted(change.pk for change in changes),
                "comments": sorted(concern.links.values_list("comment_id", flat=True)),
                "norms": [[n.label.strip(), n.url.strip()] for n in norms],
            },
        )
        concern.status, concern.rationale, concern.resolved_in, concern.decided_at = status, rationale, resolved_in, timezone.now()
        concern.full_clean()
        concern.save(update_fields=["status", "rationale", "resolved_in", "decided_at"])
        concern.changes.set(changes)
        payload = receipts.decision_payload(event, consultation_id=concern.consultation_id)
        receipt = chain_append(
            consultation_id=concern.consultation_id, consultation_slug=concern.consultation.slug, kind=Receipt.Kind.DECISION,
            content_hash=receipts.content_hash(payload), payload_format=receipts.DECISION_PAYLOAD_FORMAT, decision_id=event.pk,
        )
        outbox_emails_add(emails=_decision_notices(concern, receipt_number=receipt.number, event_id=event.pk))
    return concern


def _decision_notices(concern: Concern, *, receipt_number: str, event_id: int) -> list[tuple[str, str, str, str]]:
    """One e-mail to each author of a comment behind the concern (their verified address), in their comment's language,
    keyed by the decision and the author (written once per decision and person)."""
    authors = {}
    for author_id, language in concern.comments.filter(is_official=False).order_by("id").values_list("author_id", "language"):
        authors[author_id] = language  # their latest comment's language
    addresses: dict[int, str] = {}
    verified = EmailAddress.objects.filter(user_id__in=authors, verified=True).order_by("user_id", "-primary", "id")
    for user_id, email in verified.values_list("user_id", "email"):
        addresses.setdefault(user_id, email)  # the primary address first
    emails = []
    for author_id, language in authors.items():
        if author_id not in addresses:
            continue
        with translation.override(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE):
            subject = _("The commission decided on a point you raised: %(title)s") % {"title": concern.title}
            body = _(
                "Your comment is part of the concern “%(title)s”.\n\nDecision: %(status)s\n\n%(rationale)s\n\n"
                "This decision is recorded in the public receipt chain as %(number)s: %(url)s\n\nThe concern: %(concern_url)s"
            ) % {
                "title": concern.title, "status": concern.get_status_display(), "rationale": concern.rationale, "number": receipt_number,
                "url": site_url(reverse("receipt-detail", args=[receipt_number])),
                "concern_url": site_url(reverse("concern-detail", args=[concern.consultation.slug, concern.pk])),
            }
        emails.append((addresses[author_id], subject[:300], body, f"decision:{event_id}:user:{author_id}"))
    return emails


def concern_merge(*, actor: AbstractBaseUser, concern_id: int, merged_ids: Sequence[int], reason: str = "") -> Concern:
    """Merge concerns into one, the one kept (`concern_id`): the points were the same.

    The comments behind the merged concerns move behind the kept one (a comment behind two of them
    moves once, keeping who put it there first and when); their provisions join the kept one's
    lineages and stay on the merged ones too, so that each still says what it was about. Each merged
    concern is withdrawn and points to the kept one (`merged_into`), with an audit event on it
    ("Merged into #N") and one on the kept concern ("Merged from #…"). The kept concern is raised in
    the newest version any of them was raised in.
    Refused, with nothing changed: merging into itself or a concern merged already (409), a decided
    concern on either side, or into a withdrawn one (409: decisions are about the comments they were
    made on); concerns of another consultation or document (400).
    Locks: every concern involved, in id order, so that two merges of the same concerns cannot deadlock.
    """
    reason = reason.strip()
    merged_ids = list(dict.fromkeys(merged_ids))
    if not merged_ids:
        message = _("Choose at least one concern to merge into this one.")
        raise ApplicationError(message, fields={"concerns": [message]}, code="merge_nothing")
    if len(reason) > RATIONALE_MAX_LENGTH:
        message = _("Say why in at most %(max)d characters.") % {"max": RATIONALE_MAX_LENGTH}
        raise ApplicationError(message, fields={"reason": [message]})
    with transaction.atomic():
        locked = {
            concern.pk: concern
            for concern in Concern.objects.select_for_update(of=("self",)).select_related("consultation", "raised_in")
            .filter(pk__in=[concern_id, *merged_ids]).order_by("id")
        }
        kept = locked.get(concern_id)
        if kept is None:
            raise NotFound(_("There is no concern %(id)s.") % {"id": concern_id}, code="concern_not_found")
        _check_commission(actor, kept.consultation)
        if concern_id in merged_ids:
            raise InvalidState(_("A concern cannot be merged into itself."), code="merge_into_itself")
        merged = []
        for merged_id in merged_ids:
            other = locked.get(merged_id)
            if other is None or other.consultation_id != kept.consultation_id:
                message = _("Concern %(id)s is not a concern of this consultation.") % {"id": merged_id}
                raise ApplicationError(message, fields={"concerns": [message]}, code="concern_not_in_consultation")
            if other.document_id != kept.document_id:
                message = _("Concern %(id)s is about another document; only concerns about one document are merged.") % {"id": merged_id}
                raise ApplicationError(message, fields={"concerns": [message]}, code="concern_other_document")
            merged.append(other)
        for concern in [kept, *merged]:
            if concern.is_decided:
                raise InvalidState(
                    _("Concern %(id)s is decided: its decision is about its own comments. Merge only concerns not decided yet.")
                    % {"id": concern.pk}, code="concern_decided",
                )
        if kept.status == S.WITHDRAWN:
            raise InvalidState(_("This concern is withdrawn: reopen it before merging others into it."), code="concern_withdrawn")
        for other in merged:
            if other.merged_into_id is not None:
                raise InvalidState(
                    _("Concern %(id)s is merged into #%(into)s already.") % {"id": other.pk, "into": other.merged_into_id},
                    code="concern_merged",
                )
        present = set(kept.links.values_list("comment_id", flat=True))
        moving, duplicates = [], []
        for link_id, comment_id in ConcernComment.objects.filter(concern__in=merged).order_by("id").values_list("id", "comment_id"):
            (duplicates if comment_id in present else moving).append(link_id)
            present.add(comment_id)
        ConcernComment.objects.filter(pk__in=duplicates).delete()
        ConcernComment.objects.filter(pk__in=moving).update(concern=kept)
        kept.lineages.add(*set(Concern.lineages.through.objects.filter(concern__in=merged).values_list("lineage_id", flat=True)))
        for other in merged:
            ConcernEvent.objects.create(
                concern=other, actor=actor, from_status=other.status, to_status=S.WITHDRAWN,
                reason=_with_reason(_("Merged into #%(id)s.") % {"id": kept.pk}, reason),
            )
            other.status, other.merged_into = S.WITHDRAWN, kept
            other.full_clean()
            other.save(update_fields=["status", "merged_into"])
        ConcernEvent.objects.create(
            concern=kept, actor=actor, from_status=kept.status, to_status=kept.status,
            reason=_with_reason(_("Merged from %(numbers)s.") % {"numbers": ", ".join(f"#{other.pk}" for other in merged)}, reason),
        )
        kept.raised_in = max([kept.raised_in, *(other.raised_in for other in merged)], key=lambda version: version.number)
        kept.full_clean()
        kept.save(update_fields=["raised_in"])
    return kept


def concern_split(
    *, actor: AbstractBaseUser, concern_id: int, comment_ids: Sequence[int], title: str, summary: str = ""
) -> Concern:
    """Raise a new concern from some of a concern's comments, which leave it: they made another point.

    The new concern is about its comments' provisions and raised in the newest version they were made
    on; the original keeps its lineages (some may have been given without a comment). Each comment
    moves with who put it there and when. Audit events on both: "Split from #N" and "Split into #M".
    Refused, with nothing changed: no comment (400), a comment not behind the concern (400), all of
    them (409: the concern would be left without a point; edit or withdraw it instead), a decided or
    withdrawn concern (409). Locks the concern. Returns the new concern.
    """
    title = _valid_title(title)
    comment_ids = list(dict.fromkeys(comment_ids))
    if not comment_ids:
        message = _("Check the comments that make the other point.")
        raise ApplicationError(message, fields={"comments": [message]}, code="split_nothing")
    with transaction.atomic():
        concern = _concern_locked(actor, concern_id)
        if concern.is_decided:
            raise InvalidState(_("A decided concern is not split: its decision is about all its comments."), code="concern_decided")
        if concern.status == S.WITHDRAWN:
            raise InvalidState(_("A withdrawn concern is not split; reopen it first."), code="concern_withdrawn")
        links = {link.comment_id: link for link in concern.links.select_related("comment__version")}
        for comment_id in comment_ids:
            if comment_id not in links:
                message = _("Comment %(id)s is not behind this concern.") % {"id": comment_id}
                raise ApplicationError(message, fields={"comments": [message]}, code="comment_not_in_concern")
        if len(comment_ids) == len(links):
            message = _("Leave at least one comment behind this concern: a split moves some of its comments, not all.")
            raise InvalidState(message, fields={"comments": [message]}, code="split_all")
        moved = [links[comment_id] for comment_id in comment_ids]
        new = Concern(
            consultation=concern.consultation, document_id=concern.document_id, title=title, summary=summary.strip(),
            raised_in=max((link.comment.version for link in moved), key=lambda version: version.number), created_by=actor,
        )
        new.full_clean()
        new.save()
        new.lineages.set({link.comment.lineage_id for link in moved})
        ConcernComment.objects.filter(pk__in=[link.pk for link in moved]).update(concern=new)
        ConcernEvent.objects.create(
            concern=new, actor=actor, from_status=S.OPEN, to_status=S.OPEN, reason=_("Split from #%(id)s.") % {"id": concern.pk}
        )
        ConcernEvent.objects.create(
            concern=concern, actor=actor, from_status=concern.status, to_status=concern.status,
            reason=_("Split into #%(id)s: %(count)d comment(s) moved there.") % {"id": new.pk, "count": len(moved)},
        )
    return new


def _with_reason(what: str, reason: str) -> str:
    return f"{what}\n{reason}" if reason else what


def comments_mark_no_answer(*, actor: AbstractBaseUser, consultation_id: int, comment_ids: Sequence[int], reason: str) -> int:
    """A reviewer marks comments as needing no separate answer, with one reason; they then count as accounted
    for. All of them or, if one cannot be (another consultation's, hidden), none. Marking again replaces the reason."""
    reason = reason.strip()
    if not reason or len(reason) > NO_ANSWER_REASON_MAX_LENGTH:
        message = _("Say why this comment needs no separate answer (at most %(max)d characters).") % {"max": NO_ANSWER_REASON_MAX_LENGTH}
        raise ApplicationError(message, fields={"reason": [message]})
    consultation = _consultation_for(actor, consultation_id)
    comments = _comments_of(consultation, comment_ids)
    with transaction.atomic():
        for comment in comments:
            CommentNoAnswer.objects.update_or_create(comment=comment, defaults={"reason": reason, "marked_by": actor})
    return len(comments)


def comment_mark_no_answer(*, actor: AbstractBaseUser, comment_id: int, reason: str) -> CommentNoAnswer:
    """One comment needs no separate answer (comments_mark_no_answer for one)."""
    comment = Comment.objects.filter(pk=comment_id).only("consultation_id").first()
    if comment is None:
        raise NotFound(_("There is no comment %(id)s.") % {"id": comment_id})
    comments_mark_no_answer(actor=actor, consultation_id=comment.consultation_id, comment_ids=[comment_id], reason=reason)
    return CommentNoAnswer.objects.get(comment_id=comment_id)


# --- checks ------------------------------------------------------------------------------------


def _is_web_address(url: str) -> bool:
    """Empty, or an http(s) address: a norm's address is a link on the public record, so `javascript:`,
    `data:` and the like are refused here, whichever interface (form, API, script) gives it."""
    if not url:
        return True
    try:
        WEB_ADDRESS(url)
    except ValidationError:
        return False
    return True


def _valid_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        message = _("Give the concern a title of at most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
        raise ApplicationError(message, fields={"title": [message]})
    return title


def _check_commission(actor: AbstractBaseUser, consultation: Consultation) -> None:
    if not can_act_for_commission(user=actor, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation works on its concerns."), code="not_commission")


def _consultation_for(actor: AbstractBaseUser, consultation_id: int) -> Consultation:
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("There is no consultation %(id)s.") % {"id": consultation_id})
    _check_commission(actor, consultation)
    return consultation


def _concern_locked(actor: AbstractBaseUser, concern_id: int) -> Concern:
    """The concern, locked until the caller's transaction ends, once the actor is known to act for its commission."""
    concern = Concern.objects.select_for_update().select_related("consultation").filter(pk=concern_id).first()
    if concern is None:
        raise NotFound(_("There is no concern %(id)s.") % {"id": concern_id}, code="concern_not_found")
    _check_commission(actor, concern.consultation)
    return concern


def _comments_of(consultation: Consultation, comment_ids: Sequence[int]) -> list[Comment]:
    """The comments, each of this consultation and published; else a 400 naming the first that is not."""
    ids = list(dict.fromkeys(comment_ids))
    comments = {c.pk: c for c in Comment.objects.select_related("version").filter(pk__in=ids)}
    for comment_id in ids:
        comment = comments.get(comment_id)
        if comment is None or comment.consultation_id != consultation.pk:
            message = _("Comment %(id)s is not a comment of this consultation.") % {"id": comment_id}
            raise ApplicationError(message, fields={"comments": [message]}, code="comment_not_in_consultation")
        if comment.status != Comment.Status.PUBLISHED:
            message = _("Comment %(id)s is hidden or withdrawn.") % {"id": comment_id}
            raise ApplicationError(message, fields={"comments": [message]}, code="comment_not_published")
    return [comments[comment_id] for comment_id in ids]


def _versions_of(consultation: Consultation, comments: list[Comment], lineage_ids: Sequence[int]) -> list[DraftVersion]:
    versions = [comment.version for comment in comments]
    if lineage_ids:
        found = list(
            DraftVersion.objects.filter(
                provisions__lineage_id__in=lineage_ids, document__consultation_links__consultation=consultation,
                status__in=(DraftVersion.Status.PUBLISHED, DraftVersion.Status.SUPERSEDED),
            ).distinct()
        )
        if not found:
            message = _("These provisions are not in a published version of this consultation's documents.")
            raise ApplicationError(message, fields={"lineages": [message]})
        versions += found
    return versions


def _resolved_in(concern: Concern, version_id: int | None) -> DraftVersion | None:
    if version_id is None:
        return None
    version = DraftVersion.objects.filter(pk=version_id, document_id=concern.document_id).first()
    if version is None or version.number <= concern.raised_in.number:
        message = _("A concern is resolved in a later version of its own document.")
        raise ApplicationError(message, fields={"resolved_in": [message]})
    return version


def _changes_of(concern: Concern, resolved_in: DraftVersion | None, change_ids: Sequence[int]) -> list[ProvisionChange]:
    if not change_ids:
        return []
    if resolved_in is None:
        message = _("Name the version that carries the changes.")
        raise ApplicationError(message, fields={"resolved_in": [message]})
    changes = list(ProvisionChange.objects.filter(pk__in=change_ids, alignment__new_version=resolved_in))
    if len(changes) != len(set(change_ids)):
        message = _("These changes are not changes of %(version)s.") % {"version": resolved_in.label}
        raise ApplicationError(message, fields={"changes": [message]})
    return changes


def _status_label(status: str) -> str:
    return str(dict(S.choices).get(status, status)).lower()
