"""The reader page of a published version, cached for visitors (comments.page_cache): 304 while current, a new
comment shown at once, no language or version ever served another's page, a preview never cached."""
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from comments import page_cache, services
from consult.demo_data import CONSTITUTION_SLUG
from drafts.models import DraftVersion
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

READER = "/c/tarvania-2026/constitution/v1/"


def _count_of(page: str, provision) -> str:
    """The comment link of the provision's article, as the reader shows it."""
    link = re.search(rf'href="[^"]*/p/{re.escape(provision.parent.path)}/\?lang=\w+#comments">([^<]+)</a>', page)
    return link.group(1) if link else ""


def test_a_visitor_revalidates_with_the_etag_and_gets_304(client, demo):
    first = client.get(READER)
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(READER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert client.get(READER, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_second_visitor_is_served_without_building_the_text(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as rendered:
        first = Client().get(READER)
    with CaptureQueriesContext(connection) as served:
        second = Client().get(READER)
    assert second.status_code == 200 and len(served) < len(rendered)
    assert not [q["sql"] for q in served.captured_queries if "drafts_provisiontext" in q["sql"]]
    assert first.content.replace(b"\n", b"")[:200] == second.content.replace(b"\n", b"")[:200]


def test_a_new_comment_changes_the_counts_shown_at_once(client, demo, draft_provision, aigerim):
    before = client.get(READER)
    assert _count_of(before.content.decode(), draft_provision) == "Comment on this article"
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Counted at once.", stance="oppose", language="en")
    after = client.get(READER, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert _count_of(after.content.decode(), draft_provision) == "1 comment"


def test_a_new_comment_does_not_render_the_text_again(client, demo, draft_provision, aigerim):
    """Under a flash crowd comments keep coming: the counts are filled in on every response, the text stays cached."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(READER)
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Counted.", stance="oppose", language="en")
    with CaptureQueriesContext(connection) as served:
        page = Client().get(READER).content.decode()
    assert not [q["sql"] for q in served.captured_queries if "drafts_provisiontext" in q["sql"]]
    assert _count_of(page, draft_provision) == "1 comment"
    assert f'class="count-badge" href="/c/tarvania-2026/constitution/v1/p/{draft_provision.path}/?lang=en#comments">1 comment</a>' in page
    assert "<!--count:" not in page


def test_a_hidden_comment_changes_the_page_too(client, demo, draft_provision, aigerim, member):
    from comments.moderation import services as moderation

    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Soon hidden.", stance="oppose", language="en")
    shown = client.get(READER)
    assert _count_of(shown.content.decode(), draft_provision) == "1 comment"
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Off topic.")
    page = client.get(READER, HTTP_IF_NONE_MATCH=shown["ETag"]).content.decode()
    assert "1 hidden by moderators" in page and _count_of(page, draft_provision) != "1 comment"


def test_no_language_or_version_is_served_another_s_page(client, demo):
    english, russian = client.get(READER, {"lang": "en"}), client.get(READER, {"lang": "ru"})
    assert english["ETag"] != russian["ETag"]
    assert '<div class="document" lang="en">' in english.content.decode()
    assert '<div class="document" lang="ru">' in russian.content.decode()
    kazakh_interface = client.get(READER, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert kazakh_interface["ETag"] != english["ETag"] and '<html lang="kk"' in kazakh_interface.content.decode()
    assert '<html lang="en"' in client.get(READER, {"lang": "en"}).content.decode()  # the English page is still its own
    baseline = client.get("/c/tarvania-2026/constitution/v0/", {"lang": "en"})
    assert baseline["ETag"] != english["ETag"]
    labels = {version.number: f'<strong aria-current="page">{version.local_label}</strong>' for version in DraftVersion.objects.filter(document__slug=CONSTITUTION_SLUG)}
    assert labels[0] in baseline.content.decode() and labels[1] not in baseline.content.decode()
    assert labels[1] in english.content.decode() and labels[0] not in english.content.decode()


def test_the_cached_page_s_form_carries_each_visitor_s_own_token(demo):
    """The interface language form works for the second visitor, served the first one's rendering."""
    Client().get(READER)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(READER).content.decode()
    assert page_cache.CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post("/i18n/setlang/", {"language": "ru", "next": READER, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_signed_in_reader_gets_their_own_rendering(client, demo, aigerim):
    client.get(READER)  # cached for visitors
    client.force_login(aigerim)
    response = client.get(READER)
    assert "ETag" not in response and "My comments" in response.content.decode()
    assert "Sign in" not in response.content.decode().split("<main", 1)[0]


def test_other_query_parameters_are_not_cached(client, demo):
    assert "ETag" not in client.get(READER, {"lang": "en", "made-up": "1"})


def test_a_preview_of_a_version_being_prepared_is_never_cached(client, demo, make_version):
    constitution = demo.documents.get(slug=CONSTITUTION_SLUG)
    draft_2 = make_version(constitution, number=2, publish=False)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request._messages = []
    assert not page_cache.page_is_shared(request, version=draft_2, parameters=frozenset({"lang"}))
    cache_keys_before = set(cache.keys(f"*{page_cache.CACHE_KEY_PREFIX}*"))
    client.force_login(AdminFactory(username="operator"))
    response = client.get(reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 2]))
    assert response.status_code == 200 and "ETag" not in response
    assert set(cache.keys(f"*{page_cache.CACHE_KEY_PREFIX}*")) == cache_keys_before
    client.logout()
    assert client.get(reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 2])).status_code == 404


def test_the_cache_can_be_turned_off(client, demo, settings):
    settings.READER_CACHE_SECONDS = 0
    assert "ETag" not in client.get(READER)


ARTICLE = READER + "p/II/25/"


def test_an_article_page_is_revalidated_and_shows_each_change_at_once(client, demo, draft_provision, aigerim, make_participant, member):
    """Every change a comment can go through after it is written changes the article's page (and its ETag)."""
    from comments.moderation import services as moderation

    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Shown at once.", stance="oppose", language="en")
    first = client.get(ARTICLE)
    assert first.status_code == 200 and "Shown at once." in first.content.decode()
    assert client.get(ARTICLE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    etags = {first["ETag"]}
    changes = [
        lambda: services.comment_edit(comment_id=comment.pk, author=aigerim, body="Corrected at once."),
        lambda: services.comment_endorse(comment_id=comment.pk, user=make_participant("Endorser")),
        lambda: moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Off topic."),
        lambda: services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="A second one.", stance="support", language="en"),
    ]
    for change in changes:
        change()
        response = client.get(ARTICLE, HTTP_IF_NONE_MATCH=", ".join(etags))
        assert response.status_code == 200 and response["ETag"] not in etags
        etags.add(response["ETag"])
    page = response.content.decode()
    assert "A second one." in page and "Off topic." in page and "Corrected at once." not in page


def test_an_article_page_in_each_order_and_language_is_its_own(client, demo, draft_provision, aigerim):
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Ordered.", stance="oppose", language="en")
    pages = {(order, lang): client.get(ARTICLE, {"order": order, "lang": lang}) for order in ("newest", "endorsed") for lang in ("en", "ru")}
    assert len({response["ETag"] for response in pages.values()}) == 4
    assert '<html lang="en"' in pages["newest", "ru"].content.decode() and 'lang="ru"' in pages["newest", "ru"].content.decode()


def test_a_deeper_page_of_comments_and_a_signed_in_reader_are_rendered_each_time(client, demo, comments):
    deeper = client.get(ARTICLE, {"after": f"0.{comments[-1].pk}"})
    assert deeper.status_code == 200 and "ETag" not in deeper
    client.force_login(comments[0].author)
    assert "ETag" not in client.get(ARTICLE)
