"""Every write that counts as a person's voice (a comment, a reply, an endorsement, a report) needs a verified
address, checked in the service (comments.services.voice_check); taking one's endorsement back does not.

Issue 13, found 2: unverified accounts could endorse (200) and report (201).
"""
import pytest
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment, Endorsement, Report
from comments.moderation import services as moderation
from config.errors import PermissionDenied

pytestmark = pytest.mark.django_db

UNVERIFIED_NOTICE = "Confirm your e-mail address before you comment, endorse or report"


@pytest.fixture
def unverified(make_participant):
    return make_participant("Unverified", verified=False)


@pytest.fixture
def comment(aigerim, draft_provision):
    return services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="First.", stance="oppose", language="en")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_unverified_account_cannot_endorse(unverified, comment):
    with pytest.raises(PermissionDenied) as refused:
        services.comment_endorse(comment_id=comment.pk, user=unverified)
    assert refused.value.code == "email_unverified" and UNVERIFIED_NOTICE in refused.value.message
    assert not Endorsement.objects.exists()
    assert Comment.objects.get(pk=comment.pk).endorsement_count == 0


def test_an_unverified_account_cannot_report(unverified, comment):
    with pytest.raises(PermissionDenied) as refused:
        moderation.comment_report(comment_id=comment.pk, reporter=unverified, reason="Spam.")
    assert refused.value.code == "email_unverified"
    assert not Report.objects.exists()


def test_an_unverified_account_cannot_reply(unverified, comment):
    with pytest.raises(PermissionDenied) as refused:
        services.comment_submit(
            author=unverified, provision_id=comment.provision_id, body="Agreed.", stance="", language="en", parent_id=comment.pk
        )
    assert refused.value.code == "email_unverified" and UNVERIFIED_NOTICE in refused.value.message
    assert Comment.objects.count() == 1


def test_the_refusal_is_checked_before_the_comment_is_looked_up(unverified):
    """An unverified account learns nothing about which comments exist: the same 403 for any id."""
    with pytest.raises(PermissionDenied):
        services.comment_endorse(comment_id=99_999_999, user=unverified)
    with pytest.raises(PermissionDenied):
        moderation.comment_report(comment_id=99_999_999, reporter=unverified, reason="Spam.")


def test_a_verified_account_endorses_and_reports(make_participant, comment):
    citizen = make_participant("Verified Citizen")
    assert services.comment_endorse(comment_id=comment.pk, user=citizen).endorsement_count == 1
    assert moderation.comment_report(comment_id=comment.pk, reporter=citizen, reason="Off topic.").status == Report.Status.OPEN


def test_an_endorsement_can_be_taken_back_without_a_verified_address(make_participant, comment):
    """Taking a voice back adds none: an endorsement given before the address went unverified is withdrawn."""
    citizen = make_participant("Later Unverified")
    services.comment_endorse(comment_id=comment.pk, user=citizen)
    citizen.emailaddress_set.update(verified=False)
    assert services.comment_unendorse(comment_id=comment.pk, user=citizen).endorsement_count == 0
    assert not Endorsement.objects.exists()


def test_the_api_refuses_with_the_error_shape(unverified, comment):
    endorse = _api(unverified).post(f"/api/v1/comments/{comment.pk}/endorse/")
    report = _api(unverified).post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "Spam."}, format="json")
    for response in (endorse, report):
        assert response.status_code == 403
        assert response.json()["code"] == "email_unverified" and set(response.json()) == {"message", "code", "fields"}
    assert not Endorsement.objects.exists() and not Report.objects.exists()


def test_the_page_shows_the_notice_with_the_link_to_confirm(client, unverified, comment):
    client.force_login(unverified)
    response = client.post(f"/comments/{comment.pk}/endorse/", follow=True)
    page = response.content.decode()
    assert UNVERIFIED_NOTICE in page and "/accounts/email/" in page
    assert not Endorsement.objects.exists()
    client.post(f"/comments/{comment.pk}/report/", {"reason": "Spam."})
    assert not Report.objects.exists()
