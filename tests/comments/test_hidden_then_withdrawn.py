"""A hidden comment stays hidden, with its public reason, when its author withdraws it: the withdrawal is
recorded beside the moderators' decision (withdrawn_at), never in its place (issue 13, found 6: withdrawing
erased the decision from public view, and restoring was then a 409).

Restoring such a comment lifts the hiding, and the author's withdrawal holds: it is shown as withdrawn.
"""
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from comments import selectors, services
from comments.chain import selectors as chain_selectors
from comments.models import Comment, ModerationEvent
from comments.moderation import services as moderation
from config.errors import InvalidState

pytestmark = pytest.mark.django_db

REASON = "Personal attack on another participant."


@pytest.fixture
def hidden(aigerim, draft_provision, member):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Rude words.", stance="oppose", language="en")
    return moderation.comment_hide(comment_id=comment.pk, moderator=member, reason=REASON)


@pytest.fixture
def hidden_then_withdrawn(hidden, aigerim):
    return services.comment_withdraw(comment_id=hidden.pk, author=aigerim)


def test_withdrawing_a_hidden_comment_keeps_it_hidden_with_its_reason(hidden_then_withdrawn):
    comment = Comment.objects.get(pk=hidden_then_withdrawn.pk)
    assert comment.status == Comment.Status.HIDDEN and comment.moderation_reason == REASON
    assert comment.withdrawn_at is not None and comment.is_withdrawn


def test_it_cannot_be_withdrawn_twice(hidden_then_withdrawn, aigerim):
    with pytest.raises(InvalidState) as refused:
        services.comment_withdraw(comment_id=hidden_then_withdrawn.pk, author=aigerim)
    assert refused.value.code == "already_withdrawn"


def test_the_public_record_shows_both(hidden_then_withdrawn):
    record = selectors.comment_public_record(selectors.comment_get(comment_id=hidden_then_withdrawn.pk))
    assert record["status"] == "hidden" and record["moderation_reason"] == REASON and record["withdrawn_at"]
    assert record["body"] == ""


def test_the_api_and_the_export_show_both(hidden_then_withdrawn, demo):
    record = APIClient().get(f"/api/v1/comments/{hidden_then_withdrawn.pk}/").json()
    assert (record["status"], record["moderation_reason"]) == ("hidden", REASON) and record["withdrawn_at"]
    export = b"".join(APIClient().get(f"/api/v1/consultations/{demo.slug}/export/comments.jsonl").streaming_content).decode()
    assert f'"status": "hidden", "moderation_reason": "{REASON}"' in export


def test_the_pages_show_the_reason_and_the_withdrawal(client, hidden_then_withdrawn):
    provision_page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    card = provision_page[provision_page.index(f'id="comment-{hidden_then_withdrawn.pk}"'):]
    card = card[: card.index("</article>")]
    assert f"Hidden by the moderators: {REASON}" in card and "Withdrawn by the author." in card
    assert "Rude words." not in card
    receipt = client.get(f"/receipts/{hidden_then_withdrawn.receipt.number}/").content.decode()
    assert f"Hidden by the moderators: {REASON}" in receipt and "Withdrawn by the author." in receipt


def test_restoring_lifts_the_hiding_and_the_withdrawal_holds(hidden_then_withdrawn, member):
    restored = moderation.comment_restore(comment_id=hidden_then_withdrawn.pk, moderator=member, reason="Misread.")
    assert restored.status == Comment.Status.WITHDRAWN and restored.withdrawn_at is not None
    assert list(ModerationEvent.objects.values_list("action", flat=True)) == ["hide", "restore"]
    record = selectors.comment_public_record(selectors.comment_get(comment_id=restored.pk))
    assert record["status"] == "withdrawn" and record["body"] == "" and record["moderation_reason"] == ""


def test_restoring_through_the_api_says_it_stays_withdrawn(hidden_then_withdrawn, member):
    client = APIClient()
    client.force_authenticate(member)
    response = client.post(f"/api/v1/comments/{hidden_then_withdrawn.pk}/restore/", {"reason": "Misread."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_restoring_on_the_page_says_it_stays_withdrawn(client, hidden_then_withdrawn, member):
    client.force_login(member)
    page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert "Lift the hiding (it stays withdrawn)" in page
    response = client.post(f"/comments/{hidden_then_withdrawn.pk}/restore/", follow=True)
    assert "The hiding is lifted; the comment stays withdrawn by its author." in response.content.decode()
    assert Comment.objects.get(pk=hidden_then_withdrawn.pk).status == Comment.Status.WITHDRAWN


def test_a_comment_restored_before_it_was_withdrawn_is_withdrawn(hidden, aigerim, member):
    moderation.comment_restore(comment_id=hidden.pk, moderator=member)
    assert services.comment_withdraw(comment_id=hidden.pk, author=aigerim).status == Comment.Status.WITHDRAWN


def test_the_receipt_chain_still_verifies(hidden_then_withdrawn, demo):
    assert chain_selectors.chain_verification(consultation=demo).intact


def test_the_database_refuses_a_withdrawal_out_of_place(hidden_then_withdrawn, aigerim, draft_provision):
    """A published comment with a withdrawal time, or a withdrawn one without, is refused by the database itself."""
    shown = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Shown.", stance="support", language="en")
    for row, values in ((shown, {"withdrawn_at": timezone.now()}), (shown, {"status": "withdrawn"})):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.filter(pk=row.pk).update(**values)


def test_the_migration_hides_again_what_was_withdrawn_while_hidden(hidden_then_withdrawn, hidden, aigerim, draft_provision, member):
    """Before the fix, withdrawing a hidden comment set it to withdrawn: migration 0019 reads the last moderation
    decision (a hide, not a later restore) and gives it back its hidden status."""
    erased = hidden_then_withdrawn
    corrected = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Fine.", stance="support", language="en")
    moderation.comment_hide(comment_id=corrected.pk, moderator=member, reason="Mistake.")
    moderation.comment_restore(comment_id=corrected.pk, moderator=member)
    services.comment_withdraw(comment_id=corrected.pk, author=aigerim)
    Comment.objects.filter(pk=erased.pk).update(status="withdrawn")  # what the old comment_withdraw wrote
    migration = importlib.import_module("comments.migrations.0019_hidden_stays_hidden_when_withdrawn")
    migration.hidden_again(apps, None)
    assert Comment.objects.get(pk=erased.pk).status == "hidden"
    assert Comment.objects.get(pk=corrected.pk).status == "withdrawn"


def test_the_counts_follow_what_the_public_sees(hidden_then_withdrawn, member, draft_provision):
    """Counted as hidden while the hiding holds, as withdrawn once it is lifted (however the counts are kept)."""

    def counts():
        return selectors.comment_counts_for_version(version=draft_provision.version)[draft_provision.pk]

    assert (counts().published, counts().hidden, counts().withdrawn) == (0, 1, 0)
    moderation.comment_restore(comment_id=hidden_then_withdrawn.pk, moderator=member)
    assert (counts().published, counts().hidden, counts().withdrawn) == (0, 0, 1)


def test_the_author_sees_both_in_their_comments(hidden_then_withdrawn, aigerim, client):
    api = APIClient()
    api.force_authenticate(aigerim)
    mine = {record["id"]: record for record in api.get("/api/v1/me/comments/").json()["results"]}[hidden_then_withdrawn.pk]
    assert (mine["status"], mine["moderation_reason"]) == ("hidden", REASON) and mine["withdrawn_at"]
    client.force_login(aigerim)
    page = client.get("/me/comments/").content.decode()
    assert f"Hidden by the moderators: {REASON}" in page and "Withdrawn by you." in page
