"""The public pages on the demo: they render, link provision by provision, switch language and version."""
import pytest

from comments import services

pytestmark = pytest.mark.django_db

READER = "/c/tarvania-2026/constitution/v1/"


def test_reader_shows_the_tree_with_permalinks_and_switchers(client, demo):
    response = client.get(READER)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="p-I.1"' in page and 'href="#p-I.1"' in page  # every provision has its anchor
    assert "spiritual and moral values" in page
    assert "/c/tarvania-2026/constitution/v0/" in page  # version switch
    assert "?lang=ru" in page  # text language switch
    assert "Open for comment until" in page


def test_reader_in_russian_falls_back_where_untranslated(client, demo):
    page = client.get(READER, {"lang": "ru"}).content.decode()
    assert "Республика Тарвания является демократическим" in page  # the Russian text of Article 1
    assert "not translated" in page  # Section III onward falls back to the authoritative English


def test_provision_page_with_parallel_texts_and_neighbours(client, demo):
    response = client.get(READER + "p/I/1/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texts side by side" in page and 'lang="ru"' in page
    assert 'rel="next"' in page


def test_unknown_pages_are_404(client, demo):
    assert client.get("/c/nope/").status_code == 404
    assert client.get("/c/tarvania-2026/nope/v1/").status_code == 404
    assert client.get("/c/tarvania-2026/constitution/v9/").status_code == 404
    assert client.get(READER + "p/XX/99/").status_code == 404


def test_reader_query_count_is_fixed(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # + the articles changed since the previous version, one query
        client.get(READER)
    with django_assert_max_num_queries(21):  # the earlier versions' ids: carried-forward comments read by index
        client.get(READER + "p/I/1/")
    with django_assert_max_num_queries(6):
        client.get("/")


def _counted_get(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_reader_queries_do_not_grow_with_the_document(client, make_version):
    from tests.factories import ConsultationDocumentFactory

    counts = []
    for articles in (3, 90):
        link = ConsultationDocumentFactory()
        text = "## Section I. All\n\n" + "\n".join(f"### Article {n}\n\n1. One.\n2. Two.\n" for n in range(1, articles + 1))
        make_version(link.document, texts={"en": text})
        base = f"/c/{link.consultation.slug}/{link.document.slug}/v1/"
        counts.append((_counted_get(client, base), _counted_get(client, base + "p/I/2/")))
    assert counts[0] == counts[1]


def test_replies_add_no_queries_to_a_provision_page(client, aigerim, draft_provision):
    page = READER + "p/II/25/1/"
    parents = [
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}.", stance="support", language="en")
        for n in range(3)
    ]
    without_replies = _counted_get(client, page)
    for parent in parents:
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="A reply.", stance="question",
                                language="en", parent_id=parent.pk)
    assert _counted_get(client, page) == without_replies
