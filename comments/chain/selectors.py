"""Reading a consultation's receipt chain: one receipt, its links, and verifying the whole chain."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery

from comments import receipts
from comments.models import Comment, CommentRevision, Concern, ConcernEvent, Receipt, ReceiptChain
from config.errors import NotFound
from consult.models import Consultation


@dataclass(frozen=True)
class ChainReport:
    """The result of walking one consultation's chain against its head."""

    consultation: str
    head: receipts.ChainHead
    stored: int
    breaks: list[receipts.ChainBreak] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


def receipt_get(*, number: str) -> Receipt:
    receipt = (
        Receipt.objects.select_related("comment__provision__version__document", "consultation")
        .filter(number=number.strip().upper())
        .first()
    )
    if receipt is None:
        raise NotFound(f"No receipt {number!r}.")
    return receipt


@dataclass(frozen=True)
class SubmittedComment:
    """A comment's receipt, told in public: what was hashed when it was sent, and where the comment stands now.

    `words_shown` is False for a hidden or withdrawn comment seen by anyone but its author: then the
    page gives its status (and the moderators' reason), never its words, and `payload`/`canonical` are empty.
    `matches`: the stored comment, as submitted, still hashes to the receipt's content hash.
    """

    comment: Comment
    words_shown: bool
    payload: dict
    canonical: str
    matches: bool
    corrected: bool
    stance_label: str = ""


def receipt_comment_as_submitted(*, receipt: Receipt, viewer=None) -> SubmittedComment | None:
    """The comment a receipt records, as submitted (before any correction), for the receipt page; None for a decision."""
    comment = receipt.comment if receipt.kind == Receipt.Kind.COMMENT else None
    if comment is None:
        return None
    original = CommentRevision.objects.filter(comment=comment).order_by("id").first()
    payload = receipts.comment_payload(comment, original=original, payload_format=receipt.payload_format)
    matches = receipts.content_hash(payload) == receipt.content_hash
    is_author = viewer is not None and viewer.is_authenticated and viewer.pk == comment.author_id
    words_shown = comment.status == Comment.Status.PUBLISHED or is_author
    return SubmittedComment(
        comment=comment, words_shown=words_shown, payload=payload if words_shown else {},
        canonical=receipts.canonical_content(payload) if words_shown else "", matches=matches, corrected=original is not None,
        stance_label=str(Comment.Stance(payload["stance"]).label) if words_shown and payload.get("stance") else "",
    )


def receipt_check(*, receipt: Receipt) -> bool:
    """Does this receipt link to the one before it (which must still be there), and does its hash match its content?"""
    previous = receipts.GENESIS_HASH
    if receipt.sequence > 1:
        previous = (
            Receipt.objects.filter(consultation_id=receipt.consultation_id, sequence=receipt.sequence - 1)
            .values_list("chain_hash", flat=True)
            .first()
        )
    return receipt.previous_hash == previous and receipt.chain_hash == receipts.chain_hash(
        previous_hash=receipt.previous_hash, content_hash=receipt.content_hash, sequence=receipt.sequence
    )


def chain_head(*, consultation: Consultation) -> receipts.ChainHead:
    head = ReceiptChain.objects.filter(consultation=consultation).values_list("length", "head_hash").first()
    return receipts.ChainHead(*head) if head else receipts.ChainHead(0, receipts.GENESIS_HASH)


def chain_links(*, consultation: Consultation) -> Iterator[receipts.ChainLink]:
    rows = Receipt.objects.filter(consultation=consultation).order_by("sequence")
    for receipt in rows.only("sequence", "number", "content_hash", "previous_hash", "chain_hash").iterator(chunk_size=2000):
        yield _link(receipt)


def chain_content(*, consultation: Consultation) -> dict[int, str]:
    """Sequence -> the content hash recomputed from the stored record (a comment as submitted, before any edit).

    A link whose record is gone has no entry.
    """
    first_revision = Prefetch("comment__revisions", queryset=CommentRevision.objects.order_by("id"))
    links = (
        Receipt.objects.filter(consultation=consultation, kind=Receipt.Kind.COMMENT, comment__isnull=False)
        .select_related("comment")
        .prefetch_related(first_revision)
        .order_by("sequence")
    )
    recomputed = {}
    for receipt in links.iterator(chunk_size=2000):
        if receipt.comment is None:  # its comment is gone: no entry, reported by the walk
            continue
        original = next(iter(receipt.comment.revisions.all()), None)
        payload = receipts.comment_payload(receipt.comment, original=original, payload_format=receipt.payload_format)
        recomputed[receipt.sequence] = receipts.content_hash(payload)
    decisions = (
        Receipt.objects.filter(consultation=consultation, kind=Receipt.Kind.DECISION, decision__isnull=False)
        .select_related("decision")
        .order_by("sequence")
    )
    for receipt in decisions.iterator(chunk_size=2000):
        if receipt.decision is None:
            continue
        payload = receipts.decision_payload(receipt.decision, consultation_id=consultation.pk, payload_format=receipt.payload_format)
        recomputed[receipt.sequence] = receipts.content_hash(payload)
    return recomputed


def concerns_departing_from_their_decision(*, consultation: Consultation) -> list[receipts.ChainBreak]:
    """Concerns whose status or rationale is not what their last recorded decision says (edited behind the services)."""
    latest = ConcernEvent.objects.filter(concern=OuterRef("pk"), receipt__isnull=False).order_by("-id")
    concerns = Concern.objects.filter(consultation=consultation).annotate(
        decided_status=Subquery(latest.values("to_status")[:1]), decided_rationale=Subquery(latest.values("reason")[:1])
    )
    breaks = []
    for concern in concerns.exclude(decided_status__isnull=True, status__in=["open", "under_review", "withdrawn"]).order_by("id"):
        if (concern.status, concern.rationale) != (concern.decided_status, concern.decided_rationale):
            breaks.append(receipts.ChainBreak(0, "", f"concern {concern.pk}'s decision is not the one its receipts record"))
    return breaks


def chain_verification(*, consultation: Consultation, with_content: bool = True) -> ChainReport:
    """Walk the chain against its head: every position 1..N present, every link pointing at the one before,
    every hash matching, every comment holding a receipt; with `with_content`, every record recomputed
    (the platform's own check: the public cannot see what hidden comments said).
    """
    head = chain_head(consultation=consultation)
    links = list(chain_links(consultation=consultation))
    content = chain_content(consultation=consultation) if with_content else None
    breaks = receipts.chain_verify(links, head=head, recomputed_content=content)
    if with_content:
        breaks += concerns_departing_from_their_decision(consultation=consultation)
    unreceipted = Comment.objects.filter(consultation=consultation, receipt__isnull=True).order_by("id").values_list("id", flat=True)
    breaks += [receipts.ChainBreak(0, "", f"comment {comment_id} has no receipt") for comment_id in unreceipted[:100]]
    return ChainReport(consultation=consultation.slug, head=head, stored=len(links), breaks=breaks)


def _link(receipt: Receipt) -> receipts.ChainLink:
    return receipts.ChainLink(
        sequence=receipt.sequence, number=receipt.number, content_hash=receipt.content_hash,
        previous_hash=receipt.previous_hash, chain_hash=receipt.chain_hash,
    )
