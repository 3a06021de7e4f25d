"""An admin previews a version being prepared in the public reader and its comparison before publishing it;
the pages say it is a preview, and everyone else still gets 404 for it."""
import pytest
from django.urls import reverse

from consult.demo_data import CONSTITUTION_SLUG
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db
BANNER = "Preview — not published"


@pytest.fixture
def draft_2(demo, make_version):
    constitution = demo.documents.get(slug=CONSTITUTION_SLUG)
    return make_version(constitution, number=2, publish=False)


def _urls(demo, version):
    return {
        "reader": reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, version.number]),
        "provision": reverse("provision-detail", args=[demo.slug, CONSTITUTION_SLUG, version.number, "I/1"]),
        "comparison": reverse("comparison", args=[demo.slug, CONSTITUTION_SLUG, 1, version.number]),
    }


def test_an_admin_previews_the_reader_provision_and_comparison_with_a_banner(client, demo, draft_2):
    client.force_login(AdminFactory(username="operator"))
    for name, url in _urls(demo, draft_2).items():
        response = client.get(url)
        assert response.status_code in (200, 202), name
        page = response.content.decode()
        assert BANNER in page and reverse("admin:drafts_draftversion_change", args=[draft_2.pk]) in page, name


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_everyone_else_gets_404_for_a_version_being_prepared(client, demo, draft_2, who):
    if who == "citizen":
        client.force_login(UserFactory(username="reader"))
    for name, url in _urls(demo, draft_2).items():
        assert client.get(url).status_code == 404, name


def test_a_published_version_has_no_preview_banner_even_for_an_admin(client, demo):
    client.force_login(AdminFactory(username="operator"))
    page = client.get(reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 1])).content.decode()
    assert BANNER not in page


def test_nobody_comments_on_a_preview(client, demo, draft_2):
    admin = AdminFactory(username="operator")
    client.force_login(admin)
    url = reverse("comment-create", args=[demo.slug, CONSTITUTION_SLUG, draft_2.number, "I/1"])
    assert client.post(url, {"body": "Early words.", "stance": "support"}).status_code == 404
    assert not draft_2.provisions.filter(comments__isnull=False).exists()


def test_the_version_admin_page_leads_to_the_preview(client, demo, draft_2):
    client.force_login(AdminFactory(username="operator"))
    preview = reverse("admin:consult_version_preview", args=[draft_2.pk])
    assert preview in client.get(reverse("admin:drafts_draftversion_change", args=[draft_2.pk])).content.decode()
    response = client.get(preview)
    assert response.status_code == 302 and response.url == reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 2])


def test_a_version_of_a_document_no_consultation_covers_has_no_preview_to_go_to(client, document, make_version):
    client.force_login(AdminFactory(username="operator"))
    version = make_version(document, publish=False)
    response = client.get(reverse("admin:consult_version_preview", args=[version.pk]), follow=True)
    assert "No consultation covers" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:drafts_draftversion_change", args=[version.pk])
