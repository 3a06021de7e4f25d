"""The pure receipt chain: what a receipt covers (pinned), hashing, and re-walking a chain without a database."""
import datetime
import types

import pytest

from comments import receipts

GENESIS = receipts.GENESIS_HASH


def _chain(contents):
    links, previous = [], GENESIS
    for sequence, content in enumerate(contents, start=1):
        digest = receipts.chain_hash(previous_hash=previous, content_hash=content, sequence=sequence)
        links.append(receipts.ChainLink(sequence, f"R-{sequence}", content, previous, digest))
        previous = digest
    return links


def _head(links):
    return receipts.ChainHead(len(links), links[-1].chain_hash if links else GENESIS)


FIXED_COMMENT = types.SimpleNamespace(
    consultation_id=3, version_id=7, provision_id=1234, parent_id=None, is_official=False,
    author_name="Айгерим", submitter_type="individual", organisation_name="", stance="propose_wording",
    body="«Духовно-нравственные ценности» — too vague a ground.\nUse ICCPR art. 18(3).",
    proposed_wording="public health or morals", language="ru",
    quote_exact="spiritual and moral values", quote_prefix="grounds of ", quote_suffix=" may be", quote_start=41, quote_end=67,
    quote_language="en", created_at=datetime.datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=datetime.timezone.utc),
)


def test_the_comment_payload_format_1_is_pinned():
    """Receipts already issued hold these hashes: if this fails, a refactor changed what format 1 covers.
    Add a new format instead, and keep this one."""
    payload = receipts.comment_payload(FIXED_COMMENT, payload_format=1)
    assert receipts.content_hash(payload) == "fde1b4c66d02f9b80734e1b6c4c2f228bdca92b2add6027e774f761937db8ab1"
    assert receipts.chain_hash(previous_hash=GENESIS, content_hash=receipts.content_hash(payload), sequence=1) == (
        "2d3f868492670b8cb468dabc1fb3e12caf4851043fa35a150adf0f0f2d559452"
    )


FIXED_DECISION = types.SimpleNamespace(
    concern_id=12, actor_id=5, from_status="under_review", to_status="accepted",
    reason="The grounds become those ICCPR art. 18(3) allows.",
    decision={"resolved_in": 9, "changes": [301, 302], "comments": [4, 8, 15], "norms": [["ICCPR art. 18(3)", ""]]},
    created_at=datetime.datetime(2026, 5, 2, 11, 0, 0, 250000, tzinfo=datetime.timezone.utc),
)


def test_the_decision_payload_format_1_is_pinned():
    payload = receipts.decision_payload(FIXED_DECISION, consultation_id=3, payload_format=1)
    assert receipts.content_hash(payload) == "641fad2a5a19ca2d99f39114a7de6cee5e2e658ce03bf9e0121e22ac336dd339"
    with pytest.raises(ValueError):
        receipts.decision_payload(FIXED_DECISION, consultation_id=3, payload_format=2)


def test_a_receipt_covers_the_comment_as_submitted_not_as_edited():
    edited = types.SimpleNamespace(**{**vars(FIXED_COMMENT), "body": "Edited later."})
    original = types.SimpleNamespace(stance=FIXED_COMMENT.stance, body=FIXED_COMMENT.body, proposed_wording=FIXED_COMMENT.proposed_wording)
    assert receipts.comment_payload(edited, original=original) == receipts.comment_payload(FIXED_COMMENT)
    assert receipts.comment_payload(edited) != receipts.comment_payload(FIXED_COMMENT)


def test_an_unknown_payload_format_is_refused():
    with pytest.raises(ValueError):
        receipts.comment_payload(FIXED_COMMENT, payload_format=2)


def test_canonical_content_is_stable_and_key_order_free():
    assert receipts.canonical_content({"b": 1, "a": "ä"}) == receipts.canonical_content({"a": "ä", "b": 1}) == '{"a":"ä","b":1}'
    assert receipts.content_hash({"a": 1}) != receipts.content_hash({"a": 2})


def test_an_intact_chain_verifies_against_its_head():
    links = _chain(["a" * 64, "b" * 64, "c" * 64])
    assert receipts.chain_verify(links, head=_head(links)) == []
    assert receipts.chain_verify([], head=receipts.ChainHead(0, GENESIS)) == []


def test_a_receipt_removed_from_the_middle_is_found():
    links = _chain(["a" * 64, "b" * 64, "c" * 64])
    [problem] = receipts.chain_verify([links[0], links[2]], head=_head(links))
    assert problem.sequence == 2 and "missing" in problem.reason


def test_the_newest_receipts_removed_are_found_by_the_head():
    links = _chain(["a" * 64, "b" * 64, "c" * 64, "d" * 64])
    assert receipts.chain_verify(links[:2]) == []  # the links alone cannot tell
    [problem] = receipts.chain_verify(links[:2], head=_head(links))
    assert problem.sequence == 3 and "#3 to #4 are missing" in problem.reason


def test_a_head_that_does_not_name_the_last_receipt_is_found():
    links = _chain(["a" * 64, "b" * 64])
    [problem] = receipts.chain_verify(links, head=receipts.ChainHead(2, "f" * 64))
    assert "head hash" in problem.reason
    [problem] = receipts.chain_verify(links, head=receipts.ChainHead(1, links[0].chain_hash))
    assert "says 1 receipts, but 2 are stored" in problem.reason


def test_a_changed_content_hash_is_found():
    links = _chain(["a" * 64, "b" * 64])
    forged = receipts.ChainLink(2, "R-2", "f" * 64, links[1].previous_hash, links[1].chain_hash)
    [problem] = receipts.chain_verify([links[0], forged], head=_head(links))
    assert problem.sequence == 2 and "does not match" in problem.reason


def test_a_relinked_receipt_is_found():
    links = _chain(["a" * 64, "b" * 64, "c" * 64])
    relinked = receipts.ChainLink(
        3, "R-3", "c" * 64, "e" * 64, receipts.chain_hash(previous_hash="e" * 64, content_hash="c" * 64, sequence=3)
    )
    problems = receipts.chain_verify([*links[:2], relinked])
    assert [(p.sequence, p.reason) for p in problems] == [(3, "does not point at the previous receipt")]


def test_every_changed_or_vanished_record_is_named():
    links = _chain(["a" * 64, "b" * 64, "c" * 64])
    problems = receipts.chain_verify(links, head=_head(links), recomputed_content={1: "a" * 64, 2: "x" * 64})
    assert [(p.sequence, p.reason) for p in problems] == [
        (2, "what it records no longer matches its hash"),
        (3, "what it records is no longer in the database"),
    ]


def test_the_number_of_problems_reported_is_bounded():
    links = _chain(["a" * 64] * 30)
    assert len(receipts.chain_verify(links, recomputed_content={}, limit=5)) == 5


def test_receipt_numbers():
    assert receipts.receipt_number(prefix="tarvania-2026", sequence=42) == "TARVANIA-2026-0000042"
    assert receipts.receipt_number(prefix="x", sequence=123_456_789) == "X-123456789"
