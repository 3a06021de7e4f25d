"""Appending to a consultation's receipt chain: the one place that locks the chain's head and hashes a link.

Two ways, giving identical rows (tests/comments/test_storage.py): `chain_append` with the ORM, for
any record inside the caller's transaction; and the SQL fragments below, which comments.storage
composes into the single statement that accepts a comment on PostgreSQL (the head is locked for one
round trip and the commit, and the server computes the link's hash with sha256()).
"""
from __future__ import annotations

from django.db import transaction

from comments import receipts
from comments.models import Receipt, ReceiptChain

# The receipt number as receipts.receipt_number() writes it: at least seven digits, never truncated.
RECEIPT_NUMBER_SQL = (
    "%(number_prefix)s || CASE WHEN {sequence} < 10000000 THEN lpad({sequence}::text, 7, '0') ELSE {sequence}::text END"
)
# The chain hash as receipts.chain_hash() computes it: SHA-256 of "previous|content|sequence", in hex.
CHAIN_HASH_SQL = "encode(sha256(convert_to({previous} || '|' || %(content_hash)s || '|' || {sequence}::text, 'UTF8')), 'hex')"

# Common table expressions: `chain` locks the head; after it, the statement's own CTE named {target}
# inserts the record (selecting FROM chain, so that nothing is written for a consultation with no
# head yet) RETURNING id; then `link` advances the head and `receipt` writes the link.
# Parameters: consultation_id, content_hash, number_prefix, created_at, kind, payload_format.
CHAIN_LOCK_SQL = """
    chain AS (
        SELECT id, length, head_hash FROM {chain} WHERE consultation_id = %(consultation_id)s FOR UPDATE
    )"""
CHAIN_LINK_SQL = """
    link AS (
        UPDATE {chain} head SET length = chain.length + 1, head_hash = {chain_hash}
        FROM chain WHERE head.id = chain.id
        RETURNING head.length AS sequence, chain.head_hash AS previous_hash, head.head_hash AS chain_hash
    ), receipt AS (
        INSERT INTO {receipt} (consultation_id, kind, {target_column}, payload_format, sequence, number, content_hash,
                               previous_hash, chain_hash, created_at)
        SELECT %(consultation_id)s, %(kind)s, {target}.id, CAST(%(payload_format)s AS smallint), link.sequence, {number},
               %(content_hash)s, link.previous_hash, link.chain_hash, %(created_at)s
        FROM {target}, link
        RETURNING id, {target_column}, sequence, number, previous_hash, chain_hash
    )"""


def chain_lock_sql() -> str:
    return CHAIN_LOCK_SQL.format(chain=ReceiptChain._meta.db_table)


def chain_link_sql(*, target: str, target_column: str) -> str:
    """CHAIN_LINK_SQL for a record inserted by the CTE `target` and pointed at by `target_column`."""
    return CHAIN_LINK_SQL.format(
        chain=ReceiptChain._meta.db_table, receipt=Receipt._meta.db_table, target=target, target_column=target_column,
        chain_hash=CHAIN_HASH_SQL.format(previous="chain.head_hash", sequence="(chain.length + 1)"),
        number=RECEIPT_NUMBER_SQL.format(sequence="link.sequence"),
    )


def chain_append(
    *, consultation_id: int, consultation_slug: str, kind: str, content_hash: str, payload_format: int, **target_ids: int
) -> Receipt:
    """Append the next link to a consultation's chain, for the record named by `target_ids` (e.g. comment_id=…).

    Runs inside the caller's transaction (opening one if there is none): the head stays locked until
    it commits, so the caller should call this last, with its own writes already done.
    """
    with transaction.atomic():
        chain = ReceiptChain.objects.select_for_update().filter(consultation_id=consultation_id).first()
        if chain is None:
            chain_start(consultation_id=consultation_id)
            chain = ReceiptChain.objects.select_for_update().get(consultation_id=consultation_id)
        sequence = chain.length + 1
        receipt = Receipt(
            consultation_id=consultation_id, kind=kind, payload_format=payload_format, sequence=sequence,
            number=receipts.receipt_number(prefix=consultation_slug, sequence=sequence),
            content_hash=content_hash, previous_hash=chain.head_hash,
            chain_hash=receipts.chain_hash(previous_hash=chain.head_hash, content_hash=content_hash, sequence=sequence),
            **target_ids,
        )
        receipt.save(force_insert=True)
        ReceiptChain.objects.filter(pk=chain.pk).update(length=sequence, head_hash=receipt.chain_hash)
    return receipt


def chain_start(*, consultation_id: int) -> None:
    """Create the consultation's chain head (length 0) if it has none; safe to call twice."""
    ReceiptChain.objects.get_or_create(consultation_id=consultation_id, defaults={"head_hash": receipts.GENESIS_HASH})
