"""Campaigns found as comments arrive: a real worker fingerprints new comments and groups the form letters."""
import pytest

from comments import services
from comments.campaigns import services as campaigns
from comments.models import Campaign, CommentFingerprint
from tests.conftest import wait_for

LETTER = (
    "I oppose the grounds of spiritual and moral values in Article 25 because no court can tell what they mean, "
    "and I ask the commission to use only the grounds that the International Covenant allows."
)


def _submit(user, provision, body):
    return services.comment_submit(author=user, provision_id=provision.pk, body=body, stance="oppose", language="en")


@pytest.mark.django_db
def test_form_letters_become_one_campaign_and_others_stay_alone(make_participant, draft_provision):
    letters = [_submit(make_participant(f"Sender {n}"), draft_provision, f"{LETTER} {extra}")
               for n, extra in enumerate(["", "Signed, Aigerim.", "My family agrees.", "Please listen!"])]
    own = _submit(make_participant("Own words"), draft_provision, "The Senate should stay, since the regions need a voice of their own in law-making.")
    short = [_submit(make_participant(f"Short {n}"), draft_provision, "I agree.") for n in range(2)]
    assert campaigns.campaigns_sweep() == 7
    [form, agree] = Campaign.objects.order_by("id")
    assert form.size == 4 and set(form.fingerprints.values_list("comment_id", flat=True)) == {c.pk for c in letters}
    assert form.template_comment_id == letters[0].pk and form.first_seen == letters[0].created_at and form.last_seen == letters[-1].created_at
    assert agree.size == 2 and {f.comment_id for f in agree.fingerprints.all()} == {c.pk for c in short}
    assert CommentFingerprint.objects.get(comment=own).campaign is None
    assert campaigns.campaigns_sweep() == 0  # a second sweep finds nothing new


@pytest.mark.django_db
def test_a_comment_bridging_two_campaigns_merges_them(make_participant, draft_provision):
    words = LETTER.split()
    opening, closing = " ".join(words[:22]), " ".join(words[10:])  # each 0.6-0.7 like the letter, 0.3 like each other
    first = [_submit(make_participant(f"A{n}"), draft_provision, opening) for n in range(2)]
    second = [_submit(make_participant(f"B{n}"), draft_provision, closing) for n in range(2)]
    campaigns.campaigns_sweep()
    assert Campaign.objects.count() == 2
    bridge = _submit(make_participant("Bridge"), draft_provision, LETTER)
    [merged] = [campaigns.comment_campaign_assign(comment_id=bridge.pk)]
    assert list(Campaign.objects.all()) == [merged] and merged.size == 5
    assert set(merged.fingerprints.values_list("comment_id", flat=True)) == {c.pk for c in [*first, *second, bridge]}


@pytest.mark.django_db(transaction=True)
def test_the_worker_finds_campaigns_after_comments_arrive(celery_worker, make_participant, draft_provision):
    for n in range(3):
        _submit(make_participant(f"Sender {n}"), draft_provision, f"{LETTER} ({n})")
    assert wait_for(lambda: Campaign.objects.filter(size=3).exists())


@pytest.mark.django_db
def test_the_api_lists_campaigns_largest_first(client, make_participant, draft_provision, django_assert_max_num_queries):
    for n in range(3):
        _submit(make_participant(f"Sender {n}"), draft_provision, f"{LETTER} ({n})")
    for n in range(2):
        _submit(make_participant(f"Short {n}"), draft_provision, "Agreed.")
    campaigns.campaigns_sweep()
    with django_assert_max_num_queries(9):
        answer = client.get("/api/v1/campaigns/", {"consultation": "tarvania-2026"})
    [letters, agreed] = answer.json()["results"]
    assert (letters["size"], agreed["size"]) == (3, 2) and letters["template"].startswith("I oppose the grounds")
    assert len(letters["comments"]) == 3
