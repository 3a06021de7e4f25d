"""The public pages of campaigns: the list (largest first) and one campaign with its comments' own words."""
import pytest
from django.template.defaultfilters import date
from django.utils.timezone import localtime

from comments import services
from comments.campaigns import services as campaigns
from comments.campaigns import views
from comments.models import Campaign

LETTER = (
    "I oppose the grounds of spiritual and moral values in Article 25 because no court can tell what they mean, "
    "and I ask the commission to use only the grounds that the International Covenant allows."
)
OTHER = (
    "Please keep the right of peaceful assembly in Article 32 without any prior permission from the local "
    "authorities, as a notification a few days before is enough for the police to keep order."
)


def _submit(user, provision, body):
    return services.comment_submit(author=user, provision_id=provision.pk, body=body, stance="oppose", language="en")


@pytest.fixture
def two_campaigns(make_participant, draft_provision):
    """A letter sent by three people (each with words of their own) and another by two."""
    own = ["Aigerim from Almaty", "Nurlan <script>alert(1)</script>", ""]
    letters = [_submit(make_participant(f"Sender {n}"), draft_provision, f"{words} {LETTER}") for n, words in enumerate(own)]
    others = [_submit(make_participant(f"Other {n}"), draft_provision, OTHER) for n in range(2)]
    campaigns.campaigns_sweep()
    return letters, others


@pytest.mark.django_db
def test_the_list_shows_each_campaign_as_one_point_largest_first(client, two_campaigns, django_assert_max_num_queries):
    letters, others = two_campaigns
    with django_assert_max_num_queries(12):
        page = client.get("/c/tarvania-2026/campaigns/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Campaign of 3 comments") < html.index("Campaign of 2 comments")
    assert "I oppose the grounds of spiritual" in html and "Please keep the right of peaceful assembly" in html
    assert f'datetime="{date(localtime(letters[0].created_at), "c")}"' in html and f'datetime="{date(localtime(letters[2].created_at), "c")}"' in html
    letter_campaign = Campaign.objects.get(template_comment__in=letters)
    assert f'href="/c/tarvania-2026/campaigns/{letter_campaign.pk}/"' in html
    assert "Aigerim from Almaty" not in html  # the template excerpt is the shared text, not a sender's words


@pytest.mark.django_db
def test_the_list_says_when_there_is_no_campaign(client, comments):
    page = client.get("/c/tarvania-2026/campaigns/")
    assert page.status_code == 200 and "No campaign has been found" in page.content.decode()
    assert client.get("/c/nowhere/campaigns/").status_code == 404


@pytest.mark.django_db
def test_the_record_and_the_consultation_link_to_the_campaigns(client, demo):
    for path in ["/c/tarvania-2026/heard/", "/c/tarvania-2026/"]:
        assert 'href="/c/tarvania-2026/campaigns/"' in client.get(path).content.decode(), path


@pytest.mark.django_db
def test_a_campaign_shows_its_template_and_each_comment_with_its_receipt_and_own_words(client, two_campaigns, django_assert_max_num_queries):
    letters, _others = two_campaigns
    campaign = Campaign.objects.get(template_comment__in=letters)
    with django_assert_max_num_queries(12):
        page = client.get(f"/c/tarvania-2026/campaigns/{campaign.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Campaign of 3 comments</h1>" in html
    assert LETTER in html  # in full
    for letter in letters:
        assert letter.receipt.number in html and f"Sender {letters.index(letter)}" in html
    assert "<mark>Aigerim from Almaty</mark>" in html
    # Escaped: a sender's markup is text.
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert" in html
    assert "The shared text, without words of their own." in html  # the third sent the letter as it is


@pytest.mark.django_db
def test_a_hidden_comment_is_not_in_its_campaign_page(client, two_campaigns, member):
    from comments.moderation import services as moderation

    letters, _others = two_campaigns
    moderation.comment_hide(comment_id=letters[0].pk, moderator=member, reason="Personal data.")
    campaign = Campaign.objects.get(template_comment__in=letters)
    html = client.get(f"/c/tarvania-2026/campaigns/{campaign.pk}/").content.decode()
    assert "Campaign of 2 comments" in html and "Aigerim" not in html and letters[0].receipt.number not in html


@pytest.mark.django_db
def test_the_comments_of_a_campaign_are_paged(client, two_campaigns, monkeypatch):
    letters, _others = two_campaigns
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    campaign = Campaign.objects.get(template_comment__in=letters)
    first = client.get(f"/c/tarvania-2026/campaigns/{campaign.pk}/").content.decode()
    second = client.get(f"/c/tarvania-2026/campaigns/{campaign.pk}/", {"page": 2}).content.decode()
    assert letters[0].receipt.number in first and letters[2].receipt.number not in first and 'rel="next" href="?page=2"' in first
    assert letters[2].receipt.number in second and letters[0].receipt.number not in second and 'start="3"' in second


@pytest.mark.django_db
def test_a_campaign_is_found_only_in_its_public_consultation(client, two_campaigns, demo):
    from tests.factories import ConsultationFactory

    letters, _others = two_campaigns
    campaign = Campaign.objects.get(template_comment__in=letters)
    other = ConsultationFactory()
    assert client.get(f"/c/{other.slug}/campaigns/{campaign.pk}/").status_code == 404
    assert client.get(f"/c/tarvania-2026/campaigns/{campaign.pk + 1000}/").status_code == 404
    assert client.get(f"/c/tarvania-2026/campaigns/{'9' * 30}/").status_code == 404
    type(demo).objects.filter(pk=demo.pk).update(status="draft")
    assert client.get(f"/c/tarvania-2026/campaigns/{campaign.pk}/").status_code == 404
    assert client.get("/c/tarvania-2026/campaigns/").status_code == 404
