"""The receipt hash chain (pure, no Django): canonical content, hashes, and re-walking a chain.

Each receipt's chain_hash = SHA-256(previous_hash | content_hash | sequence), and content_hash =
SHA-256 of the comment's canonical JSON as submitted (comments.storage.comment_canonical_payload).
Changing, removing or reordering any accepted comment breaks every later link, which anyone can
check from the public API.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainLink:
    sequence: int
    number: str
    content_hash: str
    previous_hash: str
    chain_hash: str


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    number: str
    reason: str


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


def chain_verify(links: Iterable[ChainLink], *, recomputed_content: dict[int, str] | None = None) -> ChainBreak | None:
    """Walk the chain from its start; return the first broken link, or None when all hold.

    `recomputed_content` maps sequence -> content hash recomputed from the stored comment, where
    the caller can see the content (the management command can; the public cannot for hidden comments).
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for link in links:
        if link.sequence != expected_sequence:
            return ChainBreak(link.sequence, link.number, f"sequence {expected_sequence} is missing")
        if link.previous_hash != expected_previous:
            return ChainBreak(link.sequence, link.number, "does not point at the previous receipt")
        if recomputed_content is not None and recomputed_content.get(link.sequence) != link.content_hash:
            return ChainBreak(link.sequence, link.number, "the comment no longer matches its receipt")
        if chain_hash(previous_hash=link.previous_hash, content_hash=link.content_hash, sequence=link.sequence) != link.chain_hash:
            return ChainBreak(link.sequence, link.number, "its hash does not match its content")
        expected_previous = link.chain_hash
        expected_sequence += 1
    return None
