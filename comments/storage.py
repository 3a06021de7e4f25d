"""Writing an accepted comment: the comment, its receipt (the next link of its consultation's chain)
and the outbox row of its receipt e-mail, all or nothing.

On PostgreSQL it is one statement, so the chain row is locked for a single round trip and the
commit; the hash of the new link is computed by the server (sha256()), from the content hash the
application computed. Elsewhere (SQLite in development) the same rows are written with the ORM.
Both give identical rows, which `verify_receipts` re-checks in Python.
"""
from __future__ import annotations

import contextlib
import functools

from django.db import connection, transaction
from django.utils import timezone

from comments import receipts
from comments.models import Comment, OutboxEmail, Receipt, ReceiptChain

# The receipt number as receipts.receipt_number() writes it: at least seven digits, never truncated.
RECEIPT_NUMBER_SQL = (
    "%(number_prefix)s || CASE WHEN {sequence} < 10000000 THEN lpad({sequence}::text, 7, '0') ELSE {sequence}::text END"
)
# The chain hash as receipts.chain_hash() computes it: SHA-256 of "previous|content|sequence", in hex.
CHAIN_HASH_SQL = "encode(sha256(convert_to({previous} || '|' || %(content_hash)s || '|' || {sequence}::text, 'UTF8')), 'hex')"

COMMENT_COLUMNS = (
    "consultation_id", "version_id", "provision_id", "lineage_id", "author_id", "parent_id", "is_official",
    "author_name", "submitter_type", "organisation_name", "stance", "body", "proposed_wording", "language",
    "quote_exact", "quote_prefix", "quote_suffix", "quote_start", "quote_end", "quote_language",
    "status", "moderation_reason", "endorsement_count", "report_count", "created_at",
)

STORE_SQL_TEMPLATE = """
    WITH chain AS (
        SELECT id, length, head_hash FROM {chain} WHERE consultation_id = %(consultation_id)s FOR UPDATE
    ), new_comment AS (
        INSERT INTO {comment} ({comment_columns}) SELECT {comment_values} FROM chain RETURNING id
    ), link AS (
        UPDATE {chain} head SET length = chain.length + 1, head_hash = {chain_hash}
        FROM chain WHERE head.id = chain.id
        RETURNING head.length AS sequence, chain.head_hash AS previous_hash, head.head_hash AS chain_hash
    ), receipt AS (
        INSERT INTO {receipt} (consultation_id, comment_id, sequence, number, content_hash, previous_hash, chain_hash, created_at)
        SELECT %(consultation_id)s, new_comment.id, link.sequence, {number}, %(content_hash)s, link.previous_hash,
               link.chain_hash, %(created_at)s
        FROM new_comment, link
        RETURNING id, comment_id, sequence, number, previous_hash, chain_hash
    ), outbox AS (
        INSERT INTO {outbox} ("to", comment_id, subject, body, created_at, attempts)
        SELECT %(receipt_email)s, id, '', '', %(created_at)s, 0 FROM new_comment RETURNING id
    )
    SELECT receipt.id, receipt.comment_id, receipt.sequence, receipt.number, receipt.previous_hash, receipt.chain_hash
    FROM receipt, outbox
"""


@functools.cache
def _store_sql() -> str:
    """STORE_SQL_TEMPLATE for this database. Values other than text are cast to their column's type:
    a parameter bound by the server has no type of its own in an INSERT ... SELECT."""
    values = []
    for column in COMMENT_COLUMNS:
        field = Comment._meta.get_field(column)
        text = field.get_internal_type() in {"CharField", "TextField"}  # a length check must still refuse, never truncate
        values.append(f"%({column})s" if text else f"CAST(%({column})s AS {field.db_type(connection)})")
    return STORE_SQL_TEMPLATE.format(
        chain=ReceiptChain._meta.db_table, comment=Comment._meta.db_table, receipt=Receipt._meta.db_table,
        outbox=OutboxEmail._meta.db_table, comment_columns=", ".join(COMMENT_COLUMNS), comment_values=", ".join(values),
        chain_hash=CHAIN_HASH_SQL.format(previous="chain.head_hash", sequence="(chain.length + 1)"),
        number=RECEIPT_NUMBER_SQL.format(sequence="link.sequence"),
    )


def comment_store(comment: Comment, *, receipt_email: str, consultation_slug: str) -> Receipt:
    """Save a new, checked comment with its receipt and its outbox e-mail; the comment gets its pk and `.receipt`.

    The chain row of the consultation is locked until commit (appends are serialised per consultation).
    """
    if connection.vendor == "postgresql":
        return comment_store_in_one_statement(comment, receipt_email=receipt_email, consultation_slug=consultation_slug)
    return comment_store_with_orm(comment, receipt_email=receipt_email, consultation_slug=consultation_slug)


def comment_store_in_one_statement(comment: Comment, *, receipt_email: str, consultation_slug: str) -> Receipt:
    comment.created_at = timezone.now()
    content_hash = receipts.content_hash(comment_canonical_payload(comment))
    params = {column: getattr(comment, column) for column in COMMENT_COLUMNS}
    params.update(content_hash=content_hash, receipt_email=receipt_email, number_prefix=receipts.receipt_number_prefix(consultation_slug))
    # Alone, the statement is its own transaction. Inside a caller's transaction, a savepoint keeps a
    # refused statement from aborting the caller's work.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext(), connection.cursor() as cursor:
        cursor.execute(_store_sql(), params)
        row = cursor.fetchone()
        if row is None:  # the consultation's first comment: its chain starts now (nothing was written)
            _chain_start(comment.consultation_id)
            cursor.execute(_store_sql(), params)
            row = cursor.fetchone()
    receipt_id, comment.pk, sequence, number, previous_hash, chain_hash = row
    comment._state.adding, comment._state.db = False, "default"
    receipt = Receipt(
        id=receipt_id, consultation_id=comment.consultation_id, comment=comment, sequence=sequence, number=number,
        content_hash=content_hash, previous_hash=previous_hash, chain_hash=chain_hash, created_at=comment.created_at,
    )
    receipt._state.adding, receipt._state.db = False, "default"
    comment.receipt = receipt
    return receipt


def comment_store_with_orm(comment: Comment, *, receipt_email: str, consultation_slug: str) -> Receipt:
    with transaction.atomic():
        comment.save()
        OutboxEmail.objects.create(to=receipt_email, comment=comment)
        chain = ReceiptChain.objects.select_for_update().filter(consultation_id=comment.consultation_id).first()
        if chain is None:
            _chain_start(comment.consultation_id)
            chain = ReceiptChain.objects.select_for_update().get(consultation_id=comment.consultation_id)
        # Taken last in the transaction: only the hashing and two statements happen while it is held.
        sequence = chain.length + 1
        content_hash = receipts.content_hash(comment_canonical_payload(comment))
        receipt = Receipt.objects.create(
            consultation_id=comment.consultation_id, comment=comment, sequence=sequence,
            number=receipts.receipt_number(prefix=consultation_slug, sequence=sequence),
            content_hash=content_hash, previous_hash=chain.head_hash,
            chain_hash=receipts.chain_hash(previous_hash=chain.head_hash, content_hash=content_hash, sequence=sequence),
        )
        ReceiptChain.objects.filter(pk=chain.pk).update(length=sequence, head_hash=receipt.chain_hash)
    return receipt


def _chain_start(consultation_id: int) -> None:
    ReceiptChain.objects.get_or_create(consultation_id=consultation_id, defaults={"head_hash": receipts.GENESIS_HASH})


def comment_canonical_payload(comment: Comment, *, original=None) -> dict:
    """What a receipt's content hash covers: the comment as submitted (before any edit).

    `original` is the comment's first CommentRevision when it was edited since. The receipt's
    number and sequence are bound by the chain hash, so they are not repeated here.
    """
    source = original or comment
    return {
        "consultation": comment.consultation_id,
        "version": comment.version_id,
        "provision": comment.provision_id,
        "parent": comment.parent_id,
        "official": comment.is_official,
        "author": comment.author_name,
        "submitter_type": comment.submitter_type,
        "organisation": comment.organisation_name,
        "stance": source.stance,
        "body": source.body,
        "proposed_wording": source.proposed_wording,
        "language": comment.language,
        "quote": [comment.quote_exact, comment.quote_prefix, comment.quote_suffix, comment.quote_start, comment.quote_end, comment.quote_language],
        "created_at": comment.created_at.isoformat(),
    }
