"""The receipt hash chain (pure, no Django): what a receipt's hash covers, the hashes, and re-walking a chain.

A consultation's public record is one append-only chain of links (receipts). Each link says what
entered the record (a comment today; a decision on a concern next) and binds it:

    content_hash = SHA-256(canonical JSON of the payload, in the link's payload format)
    chain_hash   = SHA-256(previous chain_hash | content_hash | sequence)

so changing, removing or reordering anything accepted breaks every later link, and the head of the
chain (its length and last hash) shows whether links were cut from its end. Anyone can check it
from the public API; `verify_receipts` also recomputes the content hashes from the stored rows.

The payload of each kind is defined here, once, per format version. A format, once a receipt has
been issued in it, never changes: a new payload is a new format, and every link records its own.
tests/comments/test_receipts.py pins each format's hash of a fixed comment (a known answer).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

GENESIS_HASH = "0" * 64
KIND_COMMENT = "comment"
KIND_DECISION = "decision"
COMMENT_PAYLOAD_FORMAT = 1  # the format of new comment receipts
DECISION_PAYLOAD_FORMAT = 1  # the format of new decision receipts


@dataclass(frozen=True)
class ChainLink:
    sequence: int
    number: str
    content_hash: str
    previous_hash: str
    chain_hash: str


@dataclass(frozen=True)
class ChainHead:
    """What the chain's head row says: how many links there are and the last one's hash."""

    length: int
    head_hash: str


@dataclass(frozen=True)
class ChainBreak:
    """One problem found in a chain. `sequence` is the position it concerns (0: the chain as a whole)."""

    sequence: int
    number: str
    reason: str

    def __str__(self) -> str:
        where = f"receipt {self.number} (#{self.sequence})" if self.number else f"position {self.sequence}"
        return f"{where}: {self.reason}"


class CommentRecord(Protocol):
    """The fields of a comment that its receipt covers (a comments.models.Comment has them)."""

    consultation_id: int
    version_id: int
    provision_id: int
    parent_id: int | None
    is_official: bool
    author_name: str
    submitter_type: str
    organisation_name: str
    stance: str
    body: str
    proposed_wording: str
    language: str
    quote_exact: str
    quote_prefix: str
    quote_suffix: str
    quote_start: int | None
    quote_end: int | None
    quote_language: str
    created_at: object  # a datetime


class CommentText(Protocol):
    """The words of a comment that an edit may change (a Comment, or its first CommentRevision)."""

    stance: str
    body: str
    proposed_wording: str


def comment_payload(comment: CommentRecord, *, original: CommentText | None = None, payload_format: int = COMMENT_PAYLOAD_FORMAT) -> dict:
    """What a comment's receipt covers: the comment as submitted, before any edit.

    `original` is the comment's first revision when it was edited since. The receipt's number and
    sequence are bound by the chain hash, so they are not repeated here.
    """
    if payload_format != 1:
        raise ValueError(f"Unknown comment payload format {payload_format}")
    words = original or comment
    return {
        "consultation": comment.consultation_id,
        "version": comment.version_id,
        "provision": comment.provision_id,
        "parent": comment.parent_id,
        "official": comment.is_official,
        "author": comment.author_name,
        "submitter_type": comment.submitter_type,
        "organisation": comment.organisation_name,
        "stance": words.stance,
        "body": words.body,
        "proposed_wording": words.proposed_wording,
        "language": comment.language,
        "quote": [comment.quote_exact, comment.quote_prefix, comment.quote_suffix, comment.quote_start, comment.quote_end, comment.quote_language],
        "created_at": comment.created_at.isoformat(),
    }


class DecisionRecord(Protocol):
    """The fields of a decision on a concern that its receipt covers (a comments.models.ConcernEvent has them)."""

    concern_id: int
    actor_id: int
    from_status: str
    to_status: str
    reason: str
    decision: dict  # what was decided: resolved_in, changes, comments, norms (see concerns.services)
    created_at: object  # a datetime


def decision_payload(event: DecisionRecord, *, consultation_id: int, payload_format: int = DECISION_PAYLOAD_FORMAT) -> dict:
    """What a decision's receipt covers: the transition, its rationale and what was decided, as decided."""
    if payload_format != 1:
        raise ValueError(f"Unknown decision payload format {payload_format}")
    return {
        "consultation": consultation_id,
        "concern": event.concern_id,
        "actor": event.actor_id,
        "from": event.from_status,
        "to": event.to_status,
        "rationale": event.reason,
        "decision": event.decision,
        "created_at": event.created_at.isoformat(),
    }


def canonical_content(payload: dict) -> str:
    """One stable serialisation: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(payload: dict) -> str:
    return hashlib.sha256(canonical_content(payload).encode("utf-8")).hexdigest()


def chain_hash(*, previous_hash: str, content_hash: str, sequence: int) -> str:
    return hashlib.sha256(f"{previous_hash}|{content_hash}|{sequence}".encode("ascii")).hexdigest()


def receipt_number(*, prefix: str, sequence: int) -> str:
    """A public tracking number like TARVANIA-2026-0000042 (regulations.gov style)."""
    return f"{receipt_number_prefix(prefix)}{sequence:07d}"


def receipt_number_prefix(prefix: str) -> str:
    return f"{prefix.upper()}-"


def chain_verify(
    links: Iterable[ChainLink], *, head: ChainHead | None = None, recomputed_content: dict[int, str] | None = None,
    limit: int = 100,
) -> list[ChainBreak]:
    """Walk the chain from its start and return every problem found (at most `limit`); [] when it holds.

    - a position 1..N with no link (a receipt deleted from the middle or the end);
    - a link that does not point at the one before it, or whose hash does not match its content;
    - with `head`: links missing after the last one stored (the newest receipts deleted), or a head
      that does not name the last link;
    - with `recomputed_content` (sequence -> content hash recomputed from the stored records, which
      the platform can see and the public cannot for hidden comments): a record changed since its
      receipt, or a link whose record is gone.
    """
    breaks: list[ChainBreak] = []
    expected_previous, expected_sequence = GENESIS_HASH, 1
    for link in links:
        if link.sequence != expected_sequence:
            breaks.append(_missing(expected_sequence, link.sequence - 1))
            expected_previous = link.previous_hash  # cannot be checked across the gap; go on from here
        elif link.previous_hash != expected_previous:
            breaks.append(ChainBreak(link.sequence, link.number, "does not point at the previous receipt"))
        if recomputed_content is not None:
            recomputed = recomputed_content.get(link.sequence)
            if recomputed is None:
                breaks.append(ChainBreak(link.sequence, link.number, "what it records is no longer in the database"))
            elif recomputed != link.content_hash:
                breaks.append(ChainBreak(link.sequence, link.number, "what it records no longer matches its hash"))
        if chain_hash(previous_hash=link.previous_hash, content_hash=link.content_hash, sequence=link.sequence) != link.chain_hash:
            breaks.append(ChainBreak(link.sequence, link.number, "its hash does not match its content"))
        expected_previous, expected_sequence = link.chain_hash, link.sequence + 1
        if len(breaks) >= limit:
            return breaks[:limit]
    if head is not None:
        if head.length >= expected_sequence:
            breaks.append(_missing(expected_sequence, head.length))
        elif head.length < expected_sequence - 1:
            breaks.append(ChainBreak(0, "", f"the chain's head says {head.length} receipts, but {expected_sequence - 1} are stored"))
        elif head.head_hash != expected_previous:
            breaks.append(ChainBreak(head.length, "", "the chain's head hash does not match its last receipt"))
    return breaks[:limit]


def _missing(first: int, last: int) -> ChainBreak:
    if first == last:
        return ChainBreak(first, "", f"receipt #{first} is missing")
    return ChainBreak(first, "", f"receipts #{first} to #{last} are missing")
