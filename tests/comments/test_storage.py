"""Writing a comment with its receipt and outbox e-mail: PostgreSQL's one statement and the ORM agree."""
import pytest
from django.db import DataError, connection

from comments import receipts, storage
from comments.chain import selectors as chain_selectors
from comments.chain import services as chain_services
from comments.models import Comment, OutboxEmail, Receipt, ReceiptChain
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

WAYS = {"one statement": storage.comment_store_in_one_statement, "orm": storage.comment_store_with_orm}


def _comment(provision, author, consultation, **fields):
    return Comment(**{
        "consultation": consultation, "version": provision.version, "provision": provision, "lineage_id": provision.lineage_id,
        "author": author, "author_name": "Aigerim", "submitter_type": "individual", "stance": "oppose", "body": "Too vague.",
        "language": "en", **fields,
    })


@pytest.mark.parametrize("sequence", [1, 42, 9_999_999, 10_000_000, 123_456_789])
def test_the_database_numbers_and_hashes_receipts_as_the_pure_chain_does(sequence):
    number = chain_services.RECEIPT_NUMBER_SQL.format(sequence="CAST(%(sequence)s AS bigint)")
    digest = chain_services.CHAIN_HASH_SQL.format(previous="%(previous)s", sequence="CAST(%(sequence)s AS bigint)")
    previous, content = "ab" * 32, "cd" * 32
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {number}, {digest}", {"number_prefix": "TARVANIA-2026-", "sequence": sequence, "previous": previous, "content_hash": content})
        assert cursor.fetchone() == (
            receipts.receipt_number(prefix="tarvania-2026", sequence=sequence),
            receipts.chain_hash(previous_hash=previous, content_hash=content, sequence=sequence),
        )


def test_both_ways_extend_one_chain_that_verifies(aigerim, draft_provision):
    consultation = ConsultationFactory(slug="chain-test")
    stored = []
    for n in range(6):
        way = WAYS["one statement"] if n % 2 == 0 else WAYS["orm"]
        comment = _comment(draft_provision, aigerim, consultation, body=f"Point {n}", parent=stored[0] if n == 5 else None,
                           quote_exact="moral", quote_start=3, quote_end=8, quote_language="en")
        receipt = way(comment, receipt_email="aigerim@example.org", consultation_slug=consultation.slug)
        assert comment.pk and comment.receipt == receipt and receipt.comment_id == comment.pk
        stored.append(comment)
    saved = list(Receipt.objects.filter(consultation=consultation).order_by("sequence"))
    assert [(r.sequence, r.number, r.chain_hash) for r in saved] == [(c.receipt.sequence, c.receipt.number, c.receipt.chain_hash) for c in stored]
    assert [r.number for r in saved] == [f"CHAIN-TEST-{n:07d}" for n in range(1, 7)]
    assert saved[0].previous_hash == receipts.GENESIS_HASH
    assert chain_selectors.chain_verification(consultation=consultation).intact
    assert {(r.kind, r.payload_format) for r in saved} == {("comment", receipts.COMMENT_PAYLOAD_FORMAT)}
    chain = ReceiptChain.objects.get(consultation=consultation)
    assert (chain.length, chain.head_hash) == (6, saved[-1].chain_hash)
    assert OutboxEmail.objects.filter(comment__consultation=consultation, sent_at__isnull=True).count() == 6
    assert Comment.objects.get(pk=stored[5].pk).parent_id == stored[0].pk


@pytest.mark.parametrize("way", WAYS.values(), ids=WAYS.keys())
def test_a_refused_write_leaves_nothing_behind(aigerim, draft_provision, way):
    consultation = ConsultationFactory(slug="refused")
    way(_comment(draft_provision, aigerim, consultation), receipt_email="aigerim@example.org", consultation_slug=consultation.slug)
    too_long = _comment(draft_provision, aigerim, consultation, organisation_name="x" * 201)
    with pytest.raises(DataError):
        way(too_long, receipt_email="aigerim@example.org", consultation_slug=consultation.slug)
    assert Comment.objects.filter(consultation=consultation).count() == Receipt.objects.filter(consultation=consultation).count() == 1
    assert ReceiptChain.objects.get(consultation=consultation).length == 1
    assert OutboxEmail.objects.filter(comment__consultation=consultation).count() == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "deleted"), ("stance", "shrug"), ("status", "hidden")],  # hidden with no moderation reason
)
def test_the_database_refuses_what_the_model_would(aigerim, draft_provision, column, value):
    """The one-statement path skips model validation: the table's CHECK constraints refuse instead."""
    from django.db import IntegrityError

    consultation = ConsultationFactory(slug="checked")
    comment = _comment(draft_provision, aigerim, consultation, **{column: value})
    with pytest.raises(IntegrityError):
        storage.comment_store_in_one_statement(comment, receipt_email="aigerim@example.org", consultation_slug=consultation.slug)
    assert not Comment.objects.filter(consultation=consultation).exists()
    assert not Receipt.objects.filter(consultation=consultation).exists()
