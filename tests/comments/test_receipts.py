"""The pure receipt chain: hashing and re-walking, without a database."""
from comments import receipts


def _chain(contents):
    links, previous = [], receipts.GENESIS_HASH
    for sequence, content in enumerate(contents, start=1):
        digest = receipts.chain_hash(previous_hash=previous, content_hash=content, sequence=sequence)
        links.append(receipts.ChainLink(sequence, f"R-{sequence}", content, previous, digest))
        previous = digest
    return links


def test_canonical_content_is_stable_and_key_order_free():
    assert receipts.canonical_content({"b": 1, "a": "ä"}) == receipts.canonical_content({"a": "ä", "b": 1}) == '{"a":"ä","b":1}'
    assert receipts.content_hash({"a": 1}) != receipts.content_hash({"a": 2})


def test_an_intact_chain_verifies():
    assert receipts.chain_verify(_chain(["a" * 64, "b" * 64, "c" * 64])) is None


def test_a_removed_receipt_is_found():
    links = _chain(["a" * 64, "b" * 64, "c" * 64])
    failure = receipts.chain_verify([links[0], links[2]])
    assert failure.sequence == 3 and "missing" in failure.reason


def test_a_changed_content_is_found():
    links = _chain(["a" * 64, "b" * 64])
    forged = receipts.ChainLink(2, "R-2", "f" * 64, links[1].previous_hash, links[1].chain_hash)
    assert receipts.chain_verify([links[0], forged]).sequence == 2


def test_a_recomputed_content_mismatch_is_found():
    links = _chain(["a" * 64, "b" * 64])
    assert receipts.chain_verify(links, recomputed_content={1: "a" * 64, 2: "x" * 64}).reason.startswith("the comment")


def test_receipt_numbers():
    assert receipts.receipt_number(prefix="tarvania-2026", sequence=42) == "TARVANIA-2026-0000042"
