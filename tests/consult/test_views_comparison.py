"""The comparison page of two versions: the changes when computed; otherwise only its state, and an
admin's button to request or retry it (a reader's page view never queues work: tests/drafts/test_tasks.py)."""
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from drafts.models import Alignment
from tests.comments.test_carried_forward import draft_2_text

pytestmark = pytest.mark.django_db

V0_V1 = "/c/tarvania-2026/constitution/compare/v0-v1/"
V0_V2 = "/c/tarvania-2026/constitution/compare/v0-v2/"


@pytest.fixture
def draft_2(demo, make_version):
    """The demo with draft 2 published, and the comparison of the baseline with draft 2 never requested.
    (Before `admin_client`: the demo sets the admin's password, which ends earlier sessions.)"""
    version = make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})
    Alignment.objects.filter(old_version__number=0, new_version=version).delete()
    return version


def test_demo_comparison_page_shows_the_changes(client, demo):
    page = client.get(V0_V1)
    assert page.status_code == 200
    text = page.content.decode()
    assert "What changed" in text and "words were changed or removed" in text and "By section" in text
    moved = client.get(V0_V1, {"kind": "moved"}).content.decode()
    assert "Article 9" in moved and "Article 10" in moved
    modified = client.get(V0_V1, {"kind": "modified", "section": "II"}).content.decode()
    assert "<ins>" in modified and "<del>" in modified and "spiritual and moral values" in modified


def test_the_word_diff_is_escaped_by_the_template(client, demo, make_version):
    text = draft_2_text().replace("public health and public morals.", "public health and <script>alert(1)</script> public morals.")
    make_version(demo.documents.get(slug="constitution"), texts={"en": text})
    page = client.get("/c/tarvania-2026/constitution/compare/v1-v2/", {"kind": "modified", "section": "II"}).content.decode()
    assert "<ins> and &lt;script&gt;alert(1)&lt;/script&gt; public morals</ins>" in page
    assert "<script>alert(1)" not in page


def test_a_comparison_nobody_requested_says_so_and_an_admin_requests_it(draft_2, client, admin_client, citizen):
    page = client.get(V0_V2)
    assert page.status_code == 200
    text = page.content.decode()
    assert "has not been computed yet. An administrator can request it." in text and "<form" not in text.split("</h1>")[1]
    assert not Alignment.objects.filter(old_version__number=0, new_version=draft_2).exists()
    client.force_login(citizen)
    assert client.post(V0_V2 + "request/").status_code == 403
    assert "Compute this comparison" in admin_client.get(V0_V2).content.decode()
    response = admin_client.post(V0_V2 + "request/")
    assert response.status_code == 302 and response.url == V0_V2
    assert Alignment.objects.get(old_version__number=0, new_version=draft_2).status == "pending"
    pending = client.get(V0_V2)
    assert pending.status_code == 202 and "This page refreshes by itself" in pending.content.decode()


def test_a_failed_comparison_shows_its_error_to_admins_who_retry_it(demo, client, admin_client):
    alignment = Alignment.objects.get(old_version__number=0, new_version__number=1)
    Alignment.objects.filter(pk=alignment.pk).update(status="failed", attempts=3, error="MemoryError: out of memory")
    public = client.get(V0_V1).content.decode()
    assert "could not be computed. An administrator can retry it." in public and "MemoryError" not in public
    admin_page = admin_client.get(V0_V1).content.decode()
    assert "MemoryError: out of memory" in admin_page and "After 3 attempts" in admin_page and "Retry the comparison" in admin_page
    admin_client.post(V0_V1 + "request/")
    assert Alignment.objects.get(pk=alignment.pk).status == "pending"


def test_a_reversed_or_unknown_pair_is_not_found(client, demo):
    assert client.get("/c/tarvania-2026/constitution/compare/v1-v0/").status_code == 404
    assert client.get("/c/tarvania-2026/constitution/compare/v0-v7/").status_code == 404
    assert client.get("/c/tarvania-2026/nothing/compare/v0-v1/").status_code == 404


def test_the_page_links_keep_every_filter(client, demo):
    """Walking the pages of a filtered list of changes stays within the filters: 29 unchanged paragraphs of section II
    in the demo, on two pages."""
    filters = {"level": "paragraph", "kind": "unchanged", "section": "II"}
    first = client.get(V0_V1, filters).content.decode()
    next_link = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    assert parse_qs(urlsplit(next_link).query) == {**{name: [value] for name, value in filters.items()}, "page": ["2"]}
    second = client.get(V0_V1 + next_link).content.decode()
    assert "Page 2 of 2" in second
    previous_link = html.unescape(re.search(r'<a rel="prev" href="([^"]+)"', second).group(1))
    assert parse_qs(urlsplit(previous_link).query) == {**{name: [value] for name, value in filters.items()}, "page": ["1"]}
    kinds = re.findall(r'<li id="(?:change|unchanged)-\d+" class="change kind-(\w+)"', first + second)
    assert len(kinds) == 29 and set(kinds) == {"unchanged"}
