"""Editing, withdrawing, endorsing, reporting and moderating: nothing is ever deleted."""
import datetime

import pytest
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationEvent, Receipt, Report
from comments.moderation import selectors as moderation_selectors
from comments.moderation import services as moderation
from config.errors import ApplicationError, InvalidState, PermissionDenied
from tests.factories import AdminFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(aigerim, draft_provision):
    return services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Original words.", stance="oppose", language="en")


def test_edit_keeps_the_previous_text(comment, aigerim):
    services.comment_edit(comment_id=comment.pk, author=aigerim, body="Corrected words.")
    comment.refresh_from_db()
    assert comment.body == "Corrected words." and comment.edited_at
    assert list(comment.revisions.values_list("body", flat=True)) == ["Original words."]


def test_edit_after_the_window_is_refused(comment, aigerim):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    with pytest.raises(PermissionDenied) as error:
        services.comment_edit(comment_id=comment.pk, author=aigerim, body="Too late.")
    assert error.value.code == "edit_window_closed"
    assert Comment.objects.get().body == "Original words." and not comment.revisions.exists()


@pytest.mark.parametrize("seconds, language, words", [
    (15 * 60, "en", "for 15 minutes after"), (60, "en", "for 1 minute after"),
    (60, "ru", "в течение 1 минуты"), (5 * 60, "ru", "в течение 5 минут"), (15 * 60, "kk", "15 минут ішінде"),
])
def test_the_closed_edit_window_is_named_in_the_readers_language(comment, aigerim, settings, seconds, language, words):
    from django.utils import translation

    settings.COMMENT_EDIT_WINDOW_SECONDS = seconds
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=seconds + 60))
    with translation.override(language), pytest.raises(PermissionDenied) as error:
        services.comment_edit(comment_id=comment.pk, author=aigerim, body="Too late.")
    assert words in error.value.message


def test_edit_of_a_moderated_comment_is_refused(comment, aigerim, member):
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Off topic")
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment_id=comment.pk, author=aigerim, body="Sneaky.")


def test_edit_by_someone_else_is_refused(comment, make_participant):
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment_id=comment.pk, author=make_participant("Bolat"), body="Not mine.")
    assert Comment.objects.get().body == "Original words."


def test_edit_checks_the_text_too(comment, aigerim):
    with pytest.raises(ApplicationError):
        services.comment_edit(comment_id=comment.pk, author=aigerim, body="")
    assert Comment.objects.get().body == "Original words."


def test_withdraw_keeps_the_comment_and_its_receipt(comment, aigerim):
    services.comment_withdraw(comment_id=comment.pk, author=aigerim)
    comment.refresh_from_db()
    assert comment.status == "withdrawn" and comment.withdrawn_at and comment.body == "Original words."
    assert Receipt.objects.filter(comment=comment).exists()
    with pytest.raises(InvalidState):
        services.comment_withdraw(comment_id=comment.pk, author=aigerim)


def test_hide_keeps_everything_and_audits(comment, member, make_participant):
    reporter = make_participant("Reporter")
    moderation.comment_report(comment_id=comment.pk, reporter=reporter, reason="Insult")
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Personal attack")
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_reason, comment.moderated_by) == ("hidden", "Personal attack", member)
    assert comment.body == "Original words." and Receipt.objects.filter(comment=comment).exists()
    assert Report.objects.get().status == "actioned"
    assert list(ModerationEvent.objects.values_list("action", "reason")) == [("hide", "Personal attack")]
    moderation.comment_restore(comment_id=comment.pk, moderator=member)
    assert Comment.objects.get().status == "published"
    assert ModerationEvent.objects.count() == 2


def test_hide_needs_a_reason_and_a_commission_member(comment, member, make_participant):
    with pytest.raises(ApplicationError):
        moderation.comment_hide(comment_id=comment.pk, moderator=member, reason=" ")
    with pytest.raises(PermissionDenied):
        moderation.comment_hide(comment_id=comment.pk, moderator=make_participant("Bolat"), reason="I dislike it")
    assert Comment.objects.get().status == "published" and not ModerationEvent.objects.exists()


def test_staff_outside_the_commission_do_not_moderate(comment, make_participant, demo):
    """consult.selectors.can_act_for_commission: membership of this consultation's commission, not `is_staff`."""
    moderation.comment_report(comment_id=comment.pk, reporter=make_participant("Reporter"), reason="Spam?")
    operator = AdminFactory(username="operator")
    other_commission = MembershipFactory().user  # a member of another consultation's commission
    for user in (operator, other_commission):
        for act in (
            lambda user=user: moderation.comment_hide(comment_id=comment.pk, moderator=user, reason="Off topic"),
            lambda user=user: moderation.comment_reports_dismiss(comment_id=comment.pk, moderator=user),
            lambda user=user: moderation_selectors.moderation_queue(consultation=demo, user=user),
        ):
            with pytest.raises(PermissionDenied) as error:
                act()
            assert error.value.code == "not_commission"
    assert Comment.objects.get().status == "published" and Report.objects.get().status == "open"
    assert not ModerationEvent.objects.exists()
    MembershipFactory(consultation=demo, user=operator)  # appointed in the admin: now they may
    moderation.comment_hide(comment_id=comment.pk, moderator=operator, reason="Off topic")
    assert Comment.objects.get().status == "hidden"


def test_official_replies_are_for_the_commission_only(comment, make_participant, member):
    operator = make_participant("Operator")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    reply = {"provision_id": comment.provision_id, "body": "Answer.", "stance": "question", "language": "en", "parent_id": comment.pk}
    with pytest.raises(PermissionDenied):
        services.comment_submit(author=operator, official=True, **reply)
    assert Comment.objects.count() == 1
    assert services.comment_submit(author=member, official=True, **reply).is_official


def test_a_withdrawn_comment_cannot_be_hidden_and_so_never_restored_to_view(comment, aigerim, member):
    services.comment_withdraw(comment_id=comment.pk, author=aigerim)
    with pytest.raises(InvalidState) as error:
        moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Off topic")
    assert error.value.code == "not_published"
    with pytest.raises(InvalidState):
        moderation.comment_restore(comment_id=comment.pk, moderator=member)
    assert Comment.objects.get().status == "withdrawn" and not ModerationEvent.objects.exists()


def test_dismissing_reports_leaves_the_comment(comment, member, make_participant):
    moderation.comment_report(comment_id=comment.pk, reporter=make_participant("Reporter"), reason="Spam?")
    moderation.comment_reports_dismiss(comment_id=comment.pk, moderator=member)
    assert Report.objects.get().status == "dismissed" and Comment.objects.get().status == "published"


def test_moderation_never_deletes(comment, aigerim, member, make_participant):
    before = Comment.objects.count(), Receipt.objects.count()
    moderation.comment_report(comment_id=comment.pk, reporter=make_participant("R"), reason="x")
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="x")
    moderation.comment_restore(comment_id=comment.pk, moderator=member)
    services.comment_withdraw(comment_id=comment.pk, author=aigerim)
    assert (Comment.objects.count(), Receipt.objects.count()) == before
    assert Comment.objects.get().body == "Original words."


def test_endorsement_counts(comment, make_participant):
    for name in ("A", "B", "C"):
        services.comment_endorse(comment_id=comment.pk, user=make_participant(name))
    assert Comment.objects.get().endorsement_count == 3
