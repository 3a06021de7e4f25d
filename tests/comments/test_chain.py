"""The receipt chain in the database: one unbroken chain under concurrency, and every kind of tampering found.

Each tampering test edits the database behind the platform's back, as an insider with SQL access could,
and checks that `verify_receipts` exits non-zero naming the problem, and that the public walk sees what
it can (positions and hashes; the public cannot recompute hidden comments).
"""
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from rest_framework.test import APIClient

from comments import services
from comments.chain import selectors as chain
from comments.models import Comment, Receipt, ReceiptChain
from consult.models import Consultation

SUBMITTERS = 8
EACH = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_submitters_make_one_unbroken_chain(make_participant, draft_provision):
    users = [make_participant(f"Writer {n}") for n in range(SUBMITTERS)]
    barrier = threading.Barrier(SUBMITTERS)
    errors = []

    def write(user):
        try:
            barrier.wait(timeout=10)
            for n in range(EACH):
                services.comment_submit(author=user, provision_id=draft_provision.pk, body=f"{user.username} {n}", stance="support", language="en")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Comment.objects.count() == Receipt.objects.count() == SUBMITTERS * EACH
    report = chain.chain_verification(consultation=Consultation.objects.get(slug="tarvania-2026"))
    assert report.intact and report.stored == report.head.length == SUBMITTERS * EACH
    call_command("verify_receipts")


@pytest.fixture
def three_comments(aigerim, draft_provision):
    return [
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}", stance="support", language="en")
        for n in range(3)
    ]


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_fails(capsys) -> str:
    with pytest.raises(CommandError):
        call_command("verify_receipts", consultation="tarvania-2026")
    return capsys.readouterr().err


def _public_walk() -> dict:
    return APIClient().get("/api/v1/receipts/chain/", {"consultation": "tarvania-2026"}).json()


@pytest.mark.django_db
def test_an_untouched_chain_is_reported_intact(three_comments, capsys):
    call_command("verify_receipts", consultation="tarvania-2026")
    assert "tarvania-2026: 3 receipts, chain intact" in capsys.readouterr().out
    walk = _public_walk()
    assert walk["intact"] is True and walk["length"] == walk["stored"] == 3 and walk["breaks"] == []
    assert walk["head_hash"] == ReceiptChain.objects.get().head_hash == three_comments[-1].receipt.chain_hash


@pytest.mark.django_db
def test_deleting_the_newest_receipt_is_reported(three_comments, capsys):
    _sql("DELETE FROM comments_receipt WHERE comment_id = %s", three_comments[2].pk)
    err = _verify_fails(capsys)
    assert "position 3: receipt #3 is missing" in err
    assert f"comment {three_comments[2].pk} has no receipt" in err
    walk = _public_walk()
    assert walk["intact"] is False and (walk["length"], walk["stored"]) == (3, 2)
    assert walk["breaks"][0]["reason"] == "receipt #3 is missing"


@pytest.mark.django_db
def test_deleting_a_receipt_in_the_middle_is_reported(three_comments, capsys):
    _sql("DELETE FROM comments_receipt WHERE comment_id = %s", three_comments[1].pk)
    err = _verify_fails(capsys)
    assert "position 2: receipt #2 is missing" in err and f"comment {three_comments[1].pk} has no receipt" in err
    assert [b["reason"] for b in _public_walk()["breaks"]] == ["receipt #2 is missing", f"comment {three_comments[1].pk} has no receipt"]


@pytest.mark.django_db
def test_editing_a_hashed_field_by_sql_is_reported(three_comments, capsys):
    _sql("UPDATE comments_comment SET body = 'Forged' WHERE id = %s", three_comments[1].pk)
    err = _verify_fails(capsys)
    assert "receipt TARVANIA-2026-0000002 (#2): what it records no longer matches its hash" in err
    assert "#1" not in err and "#3" not in err


@pytest.mark.django_db(transaction=True)  # committed first: the receipts' deferred key checks are behind us
def test_a_receipt_whose_comment_was_deleted_is_reported(three_comments, capsys):
    # Only with the foreign keys switched off (a superuser's replication role) can a comment vanish under its receipt.
    comment_id = three_comments[0].pk
    _sql("SET session_replication_role = replica")
    try:
        _sql("DELETE FROM comments_outboxemail WHERE comment_id = %s", comment_id)
        _sql("DELETE FROM comments_comment WHERE id = %s", comment_id)
    finally:
        _sql("SET session_replication_role = DEFAULT")
    assert "receipt TARVANIA-2026-0000001 (#1): what it records is no longer in the database" in _verify_fails(capsys)


@pytest.mark.django_db
def test_rewriting_a_receipt_hash_is_reported_publicly(three_comments, capsys):
    _sql("UPDATE comments_receipt SET content_hash = repeat('f', 64) WHERE comment_id = %s", three_comments[1].pk)
    assert "(#2): its hash does not match its content" in _verify_fails(capsys)
    assert [(b["sequence"], b["reason"]) for b in _public_walk()["breaks"]] == [(2, "its hash does not match its content")]


@pytest.mark.django_db
def test_the_database_refuses_a_comment_receipt_without_its_comment(three_comments):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _sql("UPDATE comments_receipt SET comment_id = NULL WHERE comment_id = %s", three_comments[0].pk)


@pytest.mark.django_db
def test_an_edited_comment_still_verifies(aigerim, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Before.", stance="support", language="en")
    services.comment_edit(comment_id=comment.pk, author=aigerim, body="After.")
    call_command("verify_receipts")
    assert chain.receipt_check(receipt=Receipt.objects.get())


@pytest.mark.django_db
def test_a_receipt_whose_predecessor_is_gone_does_not_verify(three_comments):
    _sql("DELETE FROM comments_receipt WHERE comment_id = %s", three_comments[1].pk)
    assert chain.receipt_check(receipt=Receipt.objects.get(sequence=1))
    assert not chain.receipt_check(receipt=Receipt.objects.get(sequence=3))
