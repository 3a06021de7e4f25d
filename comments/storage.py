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
from comments.chain.services import chain_append, chain_link_sql, chain_lock_sql, chain_start
from comments.models import Comment, OutboxEmail, Receipt

COMMENT_COLUMNS = (
    "consultation_id", "version_id", "provision_id", "lineage_id", "author_id", "parent_id", "is_official",
    "author_name", "submitter_type", "organisation_name", "stance", "body", "proposed_wording", "language",
    "quote_exact", "quote_prefix", "quote_suffix", "quote_start", "quote_end", "quote_language",
    "status", "moderation_reason", "endorsement_count", "created_at",
)

STORE_SQL_TEMPLATE = """
    WITH {chain_lock}, new_comment AS (
        INSERT INTO {comment} ({comment_columns}) SELECT {comment_values} FROM chain RETURNING id
    ), {chain_link}, outbox AS (
        INSERT INTO {outbox} ("to", comment_id, subject, body, created_at, attempts, last_error)
        SELECT %(receipt_email)s, id, '', '', %(created_at)s, 0, '' FROM new_comment RETURNING id
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
        comment=Comment._meta.db_table, outbox=OutboxEmail._meta.db_table,
        comment_columns=", ".join(COMMENT_COLUMNS), comment_values=", ".join(values),
        chain_lock=chain_lock_sql(), chain_link=chain_link_sql(target="new_comment", target_column="comment_id"),
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
    content_hash = _content_hash(comment)
    params = {column: getattr(comment, column) for column in COMMENT_COLUMNS}
    params.update(
        content_hash=content_hash, receipt_email=receipt_email, number_prefix=receipts.receipt_number_prefix(consultation_slug),
        kind=Receipt.Kind.COMMENT, payload_format=receipts.COMMENT_PAYLOAD_FORMAT,
    )
    # Alone, the statement is its own transaction. Inside a caller's transaction, a savepoint keeps a
    # refused statement from aborting the caller's work.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext(), connection.cursor() as cursor:
        cursor.execute(_store_sql(), params)
        row = cursor.fetchone()
        if row is None:  # the consultation's first comment: its chain starts now (nothing was written)
            chain_start(consultation_id=comment.consultation_id)
            cursor.execute(_store_sql(), params)
            row = cursor.fetchone()
    receipt_id, comment.pk, sequence, number, previous_hash, chain_hash = row
    comment._state.adding, comment._state.db = False, "default"
    receipt = Receipt(
        id=receipt_id, consultation_id=comment.consultation_id, kind=Receipt.Kind.COMMENT, comment=comment,
        payload_format=receipts.COMMENT_PAYLOAD_FORMAT, sequence=sequence, number=number,
        content_hash=content_hash, previous_hash=previous_hash, chain_hash=chain_hash, created_at=comment.created_at,
    )
    receipt._state.adding, receipt._state.db = False, "default"
    comment.receipt = receipt
    return receipt


def comment_store_with_orm(comment: Comment, *, receipt_email: str, consultation_slug: str) -> Receipt:
    with transaction.atomic():
        comment.save()
        OutboxEmail.objects.create(to=receipt_email, comment=comment)
        # Last in the transaction: the chain's head is held only for the hashing and two statements.
        receipt = chain_append(
            consultation_id=comment.consultation_id, consultation_slug=consultation_slug, kind=Receipt.Kind.COMMENT,
            content_hash=_content_hash(comment), payload_format=receipts.COMMENT_PAYLOAD_FORMAT, comment_id=comment.pk,
        )
    receipt.comment = comment
    return receipt


def _content_hash(comment: Comment) -> str:
    return receipts.content_hash(receipts.comment_payload(comment, payload_format=receipts.COMMENT_PAYLOAD_FORMAT))
