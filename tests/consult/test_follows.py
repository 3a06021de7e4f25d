"""Following a provision through its versions: who may, from the provision's page, the profile and the API."""
import pytest
from django.utils import translation
from rest_framework.test import APIClient

from config.errors import NotFound, PermissionDenied
from consult import selectors, services
from consult.models import ProvisionFollow
from drafts.models import Provision
from tests.factories import participant_user

pytestmark = pytest.mark.django_db

PAGE = "/c/tarvania-2026/constitution/v1/p/II/25/1/"


@pytest.fixture
def provision(demo):
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")


@pytest.fixture
def reader(db):
    return participant_user("Aigerim")


@pytest.fixture
def unverified(db):
    return participant_user("Bolat", verified=False)


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


# --- the rule (consult.services) ----------------------------------------------------------------


def test_a_verified_participant_follows_a_provision_by_its_lineage(reader, provision):
    with translation.override("kk"):
        follow = services.provision_follow(user=reader, provision_id=provision.pk)
    assert (follow.user, follow.lineage_id, follow.language) == (reader, provision.lineage_id, "kk")
    assert selectors.provision_is_followed(user=reader, provision=provision)


def test_following_twice_changes_nothing(reader, provision):
    first = services.provision_follow(user=reader, provision_id=provision.pk)
    again = services.provision_follow(user=reader, provision_id=provision.pk)
    assert first.pk == again.pk and ProvisionFollow.objects.count() == 1


def test_an_anonymous_reader_cannot_follow(provision):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied) as refused:
        services.provision_follow(user=AnonymousUser(), provision_id=provision.pk)
    assert refused.value.code == "not_authenticated" and not ProvisionFollow.objects.exists()


def test_an_unverified_address_is_refused_with_the_reason(unverified, provision):
    with pytest.raises(PermissionDenied) as refused:
        services.provision_follow(user=unverified, provision_id=provision.pk)
    assert refused.value.code == "email_unverified" and "Confirm your e-mail address" in refused.value.message
    assert not ProvisionFollow.objects.exists()


def test_only_a_published_provision_can_be_followed(reader, demo, document, make_version):
    preparing = make_version(document, publish=False).provisions.first()
    for provision_id in (preparing.pk, 10**9):
        with pytest.raises(NotFound) as refused:
            services.provision_follow(user=reader, provision_id=provision_id)
        assert refused.value.code == "provision_not_found"
    assert not ProvisionFollow.objects.exists()


def test_unfollowing_is_idempotent(reader, provision):
    services.provision_follow(user=reader, provision_id=provision.pk)
    assert services.provision_unfollow(user=reader, provision_id=provision.pk) is True
    assert services.provision_unfollow(user=reader, provision_id=provision.pk) is False
    assert not ProvisionFollow.objects.exists()


def test_the_profile_lists_a_follow_as_the_provision_stands_in_the_newest_version(reader, provision, demo, make_version):
    from consult.demo_data import DEMO_DIR
    from drafts.models import Document

    services.provision_follow(user=reader, provision_id=provision.pk)
    text = (DEMO_DIR / "constitution_v1.en.md").read_text().replace("and spiritual and moral values.", "and public morals.")
    draft_2 = make_version(Document.objects.get(slug="constitution"), texts={"en": text})
    [item] = selectors.provision_follows_of_user(user=reader)
    assert item.provision.version == draft_2 and item.provision.path == "II/25/1" and item.consultation_slug == "tarvania-2026"
    assert item.provision.lineage_id == provision.lineage_id


# --- the pages ----------------------------------------------------------------------------------


def test_the_provision_page_offers_to_follow(client, reader, provision):
    anonymous = client.get(PAGE).content.decode()
    assert "to follow this provision" in anonymous and f"/accounts/login/?next={PAGE}" in anonymous
    client.force_login(reader)
    page = client.get(PAGE).content.decode()
    assert f'action="/provisions/{provision.pk}/follow/"' in page and "Follow this provision" in page


def test_following_from_the_page_works_without_javascript(client, reader, provision):
    client.force_login(reader)
    response = client.post(f"/provisions/{provision.pk}/follow/", {"action": "follow", "next": PAGE + "#follow"})
    assert response.status_code == 302 and response["Location"] == PAGE + "#follow"
    page = client.get(PAGE).content.decode()
    assert "You follow this provision" in page and "Stop following" in page
    assert ProvisionFollow.objects.filter(user=reader, lineage_id=provision.lineage_id).exists()
    client.post(f"/provisions/{provision.pk}/follow/", {"action": "unfollow", "next": PAGE})
    assert "You no longer follow this provision." in client.get(PAGE).content.decode()
    assert not ProvisionFollow.objects.exists()


def test_the_page_says_why_following_was_refused(client, unverified, provision):
    client.force_login(unverified)
    response = client.post(f"/provisions/{provision.pk}/follow/", {"action": "follow", "next": PAGE}, follow=True)
    assert "Confirm your e-mail address to follow provisions" in response.content.decode()
    assert not ProvisionFollow.objects.exists()


def test_an_anonymous_post_is_refused_and_saves_nothing(client, provision):
    response = client.post(f"/provisions/{provision.pk}/follow/", {"action": "follow", "next": PAGE}, follow=True)
    assert "Sign in to follow provisions." in response.content.decode() and not ProvisionFollow.objects.exists()
    assert client.get(f"/provisions/{provision.pk}/follow/").status_code == 405


def test_the_follow_form_never_redirects_off_the_site(client, reader, provision):
    client.force_login(reader)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(f"/provisions/{provision.pk}/follow/", {"action": "follow", "next": target})
        assert response["Location"] == "/account/profile/"


def test_an_unknown_provision_is_404(client, reader, demo):
    client.force_login(reader)
    assert client.post("/provisions/999999999/follow/", {"action": "follow"}).status_code == 404


def test_the_profile_lists_what_i_follow_with_a_button_to_stop(client, reader, provision, demo):
    other = participant_user("Dana")
    services.provision_follow(user=other, provision_id=Provision.objects.get(version=provision.version, path="II/24").pk)
    client.force_login(reader)
    assert "You follow no provision." in client.get("/account/profile/").content.decode()
    services.provision_follow(user=reader, provision_id=provision.pk)
    page = client.get("/account/profile/").content.decode()
    assert "Provisions you follow" in page and PAGE in page and "(II/25/1)" in page
    assert "(II/24)" not in page  # another user's
    assert 'aria-label="Stop following II/25/1 of Constitution of the Republic of Tarvania"' in page
    client.post(f"/provisions/{provision.pk}/follow/", {"action": "unfollow", "next": "/account/profile/"})
    assert not ProvisionFollow.objects.filter(user=reader).exists()
    assert ProvisionFollow.objects.filter(user=other).exists()


# --- the API ------------------------------------------------------------------------------------


def test_the_api_follows_and_unfollows(reader, provision):
    url = f"/api/v1/provisions/{provision.pk}/follow/"
    for _twice in range(2):
        response = api(reader).post(url)
        assert response.status_code == 201 and response.json() == {"provision": provision.pk, "lineage": provision.lineage_id, "following": True}
    assert ProvisionFollow.objects.count() == 1
    [listed] = api(reader).get("/api/v1/follows/").json()
    assert (listed["provision"], listed["provision_path"], listed["document"]) == (provision.pk, "II/25/1", "constitution")
    assert (listed["version"], listed["version_number"]) == (provision.version_id, 1)  # the id as `version`, as everywhere
    assert api(reader).delete(url).status_code == 204 and api(reader).delete(url).status_code == 204
    assert not ProvisionFollow.objects.exists() and api(reader).get("/api/v1/follows/").json() == []


def test_the_api_refuses_with_specific_errors(reader, unverified, provision):
    url = f"/api/v1/provisions/{provision.pk}/follow/"
    anonymous = api().post(url)
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "not_authenticated"
    refused = api(unverified).post(url)
    assert refused.status_code == 403 and refused.json()["code"] == "email_unverified"
    missing = api(reader).post("/api/v1/provisions/999999999/follow/")
    assert missing.status_code == 404 and missing.json()["code"] == "provision_not_found"
    assert api().get("/api/v1/follows/").status_code == 403
    assert not ProvisionFollow.objects.exists()


def test_the_list_shows_only_my_follows(reader, provision):
    other = participant_user("Dana")
    services.provision_follow(user=other, provision_id=provision.pk)
    assert api(reader).get("/api/v1/follows/").json() == []


def test_the_schema_describes_following(demo):
    paths = api().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"post", "delete"} <= set(paths["/api/v1/provisions/{provision_id}/follow/"])
    assert "get" in paths["/api/v1/follows/"]
