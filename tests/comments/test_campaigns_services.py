"""Campaigns found as comments arrive: a real worker fingerprints new comments and groups the form letters."""
import pytest

from comments import services
from comments.campaigns import selectors
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
    for name, city in [("Aigerim", "Almaty"), ("Nurlan", "Astana"), ("Olga", "Aktobe")]:
        _submit(make_participant(name), draft_provision, f"{name}, {city}. {LETTER} {name}")
    for n in range(2):
        _submit(make_participant(f"Short {n}"), draft_provision, "Agreed.")
    campaigns.campaigns_sweep()
    with django_assert_max_num_queries(9):
        answer = client.get("/api/v1/campaigns/", {"consultation": "tarvania-2026"})
    [letters, agreed] = answer.json()["results"]
    assert (letters["size"], agreed["size"]) == (3, 2) and letters["consultation"] == "tarvania-2026"
    # The text they share, not the first sender's greeting, name and signature.
    assert letters["template"] == LETTER and agreed["template"] == "Agreed."
    assert client.get("/api/v1/campaigns/", {"consultation": "nowhere"}).status_code == 404
    assert client.get("/api/v1/campaigns/").status_code == 404


@pytest.mark.django_db
def test_the_api_gives_a_campaign_with_its_comments_paged_and_their_own_words(client, make_participant, draft_provision, django_assert_max_num_queries):
    own = ["My village is Kegen.", "We need clean water too.", "", "Courts must decide.", "Thank you!"]
    letters = [_submit(make_participant(f"Sender {n}"), draft_provision, f"{LETTER} {words}") for n, words in enumerate(own)]
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    with django_assert_max_num_queries(6):
        answer = client.get(f"/api/v1/campaigns/{campaign.pk}/", {"page_size": 2})
    body = answer.json()
    assert answer.status_code == 200 and body["size"] == 5 and LETTER in body["template"]
    assert body["members"]["count"] == 5 and body["members"]["previous"] is None and "page=2" in body["members"]["next"]
    [first, second] = body["members"]["results"]
    assert (first["comment"], second["comment"]) == (letters[0].pk, letters[1].pk)
    assert first["author_name"] == "Sender 0" and first["receipt"] == letters[0].receipt.number
    assert first["additions"] == ["My village is Kegen"] and second["additions"] == ["We need clean water too"]
    last = client.get(f"/api/v1/campaigns/{campaign.pk}/", {"page_size": 2, "page": 3}).json()["members"]
    assert [member["comment"] for member in last["results"]] == [letters[4].pk] and last["next"] is None


@pytest.mark.django_db
def test_the_api_finds_no_campaign_that_is_not_public(client, make_participant, draft_provision, demo):
    for n in range(2):
        _submit(make_participant(f"Sender {n}"), draft_provision, LETTER)
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    for path in [f"/api/v1/campaigns/{campaign.pk + 1000}/", "/api/v1/campaigns/x1/", f"/api/v1/campaigns/{'9' * 30}/"]:
        assert client.get(path).status_code == 404, path
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/", {"page": 9}).status_code == 404
    type(demo).objects.filter(pk=demo.pk).update(status="draft")  # not yet open: nothing of it is public
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").json()["code"] == "campaign_not_found"


def test_the_campaigns_are_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/campaigns/", "/api/v1/campaigns/{id}/"} <= set(schema["paths"])
    detail = schema["paths"]["/api/v1/campaigns/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][detail.split("/")[-1]]["properties"]
    assert {"template", "size", "first_seen", "last_seen", "members"} <= set(properties)


# --- the template and the additions, as the detection's core defines them -----------------------------


@pytest.mark.django_db
def test_the_template_is_the_shared_text_and_each_comment_keeps_its_own_words(make_participant, draft_provision):
    names = ["Aigerim", "Nurlan", "Olga", "Ivan"]
    letters = [
        _submit(make_participant(name), draft_provision, f"{name} ({city}): {LETTER} {name}.")
        for name, city in zip(names, ["Almaty", "Astana", "Shymkent", "Aktobe"])
    ]
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    assert campaign.template_text == LETTER and campaign.template_comment_id in {c.pk for c in letters}
    page = selectors.campaign_members_with_additions(campaign=campaign, comments=selectors.campaign_members(campaign=campaign))
    assert [member.comment.pk for member in page] == [c.pk for c in letters]
    assert page[0].additions == ("Aigerim (Almaty", "Aigerim")


@pytest.mark.django_db
def test_the_template_is_computed_again_when_the_campaign_doubles(make_participant, draft_provision):
    """Created with two comments, the template is theirs; it is computed again at 4, 8, ... (a bounded cost)."""
    greeting = "Greetings from the Almaty branch of our association."
    first = [_submit(make_participant(f"A{n}"), draft_provision, f"{greeting} {LETTER}") for n in range(2)]
    campaigns.campaigns_sweep()
    assert Campaign.objects.get().template_text == f"{greeting} {LETTER}"
    _submit(make_participant("B0"), draft_provision, f"Sent from Astana. {LETTER}")
    campaigns.campaigns_sweep()
    assert Campaign.objects.get().size == 3 and Campaign.objects.get().template_text.startswith(greeting)  # not yet
    _submit(make_participant("B1"), draft_provision, f"Sent from Aktobe. {LETTER}")
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    # Now the greeting is in half of them, not more: no longer part of what they share.
    assert campaign.size == 4 and campaign.template_text == LETTER and campaign.template_comment_id not in {c.pk for c in first}


# --- hidden, withdrawn and corrected comments -------------------------------------------------------------


@pytest.mark.django_db
def test_a_hidden_comment_no_longer_counts_nor_shows_its_words_in_the_template(make_participant, draft_provision, member):
    from comments.moderation import services as moderation

    words = LETTER.split()
    # Each adds a word of its own in the middle: the template, one of them trimmed, carries its sender's word.
    letters = [
        _submit(make_participant(f"Sender {n}"), draft_provision, " ".join([*words[:15], extra, *words[15:]]))
        for n, extra in enumerate(["Zanzibar", "Quetzal", "Xylophone"])
    ]
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    template_comment = next(c for c in letters if c.pk == campaign.template_comment_id)
    own_word = template_comment.body.split()[15]
    assert campaign.size == 3 and own_word in campaign.template_text

    moderation.comment_hide(comment_id=template_comment.pk, moderator=member, reason="Spam.")
    campaign.refresh_from_db()
    assert campaign.size == 2 and own_word not in campaign.template_text and campaign.template_comment_id != template_comment.pk
    shown = selectors.campaign_members_with_additions(campaign=campaign, comments=selectors.campaign_members(campaign=campaign))
    assert template_comment.pk not in [m.comment.pk for m in shown] and own_word not in str([m.additions for m in shown])

    moderation.comment_restore(comment_id=template_comment.pk, moderator=member)
    campaign.refresh_from_db()
    assert campaign.size == 3


@pytest.mark.django_db
def test_a_campaign_left_with_one_published_comment_is_not_shown(client, make_participant, draft_provision):
    authors = [make_participant(f"Sender {n}") for n in range(2)]
    letters = [_submit(author, draft_provision, f"{LETTER} ({n})") for n, author in enumerate(authors)]
    campaigns.campaigns_sweep()
    campaign = Campaign.objects.get()
    services.comment_withdraw(comment_id=letters[1].pk, author=authors[1])
    campaign.refresh_from_db()
    assert campaign.size == 1
    assert client.get("/api/v1/campaigns/", {"consultation": "tarvania-2026"}).json()["results"] == []
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    # A new copy brings it back, with its dates those of the comments shown.
    third = _submit(make_participant("Sender 2"), draft_provision, LETTER)
    campaigns.campaigns_sweep()
    campaign.refresh_from_db()
    assert campaign.size == 2 and (campaign.first_seen, campaign.last_seen) == (letters[0].created_at, third.created_at)


@pytest.mark.django_db
def test_a_corrected_comment_is_fingerprinted_again(make_participant, draft_provision):
    authors = [make_participant(f"Sender {n}") for n in range(3)]
    letters = [_submit(author, draft_provision, f"{LETTER} ({n})") for n, author in enumerate(authors)]
    campaigns.campaigns_sweep()
    own_words = "On reflection I would rather keep the clause, but define the values in a law that courts can apply."
    services.comment_edit(comment_id=letters[2].pk, author=authors[2], body=own_words)
    assert Campaign.objects.get().size == 2 and not CommentFingerprint.objects.filter(comment=letters[2]).exists()
    assert campaigns.campaigns_sweep() == 1
    assert CommentFingerprint.objects.get(comment=letters[2]).campaign is None
    # A correction that keeps the letter puts it back.
    services.comment_edit(comment_id=letters[2].pk, author=authors[2], body=f"{LETTER} (corrected)")
    campaigns.campaigns_sweep()
    assert Campaign.objects.get().size == 3


@pytest.mark.django_db
def test_a_comment_hidden_before_the_sweep_joins_its_campaign_uncounted(make_participant, draft_provision, member):
    from comments.moderation import services as moderation

    letters = [_submit(make_participant(f"Sender {n}"), draft_provision, f"{LETTER} ({n})") for n in range(3)]
    campaigns.campaigns_sweep()
    late = _submit(make_participant("Late"), draft_provision, LETTER)
    moderation.comment_hide(comment_id=late.pk, moderator=member, reason="Spam.")
    assert campaigns.comment_campaign_assign(comment_id=late.pk) == Campaign.objects.get()
    assert Campaign.objects.get().size == 3 and len(letters) == 3


@pytest.mark.django_db
def test_the_summary_table_shows_a_campaign_once_with_its_shared_text(make_participant, draft_provision, demo, member):
    from comments.concerns.tables import summary_table
    from comments.moderation import services as moderation

    letters = [_submit(make_participant(name), draft_provision, f"{name}: {LETTER} {name}") for name in ["Aigerim", "Nurlan", "Olga"]]
    campaigns.campaigns_sweep()
    rows = [row for row in summary_table(consultation=demo) if LETTER in row.comment]
    assert [(row.author, row.comment, row.receipt) for row in rows] == [("Campaign of 3 comments", LETTER, letters[0].receipt.number)]
    for letter in letters[:2]:
        moderation.comment_hide(comment_id=letter.pk, moderator=member, reason="Spam.")
    # One published comment left: no campaign, the comment as its sender wrote it.
    rows = [row for row in summary_table(consultation=demo) if LETTER in row.comment]
    assert [(row.author, row.comment) for row in rows] == [("Olga", letters[2].body)]


@pytest.mark.django_db
def test_the_migration_computes_the_existing_campaigns_templates(make_participant, draft_provision):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("comments.migrations.0014_campaign_template_text")
    letters = [_submit(make_participant(name), draft_provision, f"{name}: {LETTER}") for name in ["Aigerim", "Nurlan", "Olga"]]
    campaigns.campaigns_sweep()
    Campaign.objects.update(template_text="", size=7)  # as before the migration: no template, hidden comments counted
    migration.campaigns_recompute(apps, None)
    campaign = Campaign.objects.get()
    assert (campaign.size, campaign.template_text) == (3, LETTER) and campaign.template_comment_id in {c.pk for c in letters}
