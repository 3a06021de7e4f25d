"""The receipt chain under concurrency, and verify_receipts finding a tampered record."""
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from comments import receipts, selectors, services
from comments.models import Comment, Receipt
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
    consultation = Consultation.objects.get(slug="tarvania-2026")
    links = list(selectors.receipt_chain_links(consultation=consultation))
    assert [link.sequence for link in links] == list(range(1, SUBMITTERS * EACH + 1))
    assert receipts.chain_verify(links, recomputed_content=selectors.receipt_chain_content(consultation=consultation)) is None
    call_command("verify_receipts")


@pytest.mark.django_db
def test_verify_receipts_reports_the_first_tampered_comment(aigerim, draft_provision, capsys):
    comments = [
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}", stance="support", language="en")
        for n in range(3)
    ]
    call_command("verify_receipts")
    assert "3 receipts, chain intact" in capsys.readouterr().out
    with connection.cursor() as cursor:  # someone edits the database behind the platform's back
        cursor.execute("UPDATE comments_comment SET body = 'Forged' WHERE id = %s", [comments[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_receipts")
    assert "TARVANIA-2026-0000002" in capsys.readouterr().err


@pytest.mark.django_db
def test_an_edited_comment_still_verifies(aigerim, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Before.", stance="support", language="en")
    services.comment_edit(comment_id=comment.pk, author=aigerim, body="After.")
    call_command("verify_receipts")
    receipt = Receipt.objects.get()
    assert selectors.receipt_check(receipt=receipt)
