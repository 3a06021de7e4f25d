"""The public record, "What we heard and what changed": per provision, per document, and the two tables as pages,
with their downloads in the language of the page."""
import csv
import io
import re

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from comments import services as comment_services
from comments.concerns import selectors
from comments.concerns import services as concerns
from drafts.models import Alignment, Provision
from tests.comments.test_carried_forward import draft_2_text

pytestmark = pytest.mark.django_db
HEARD = "/c/tarvania-2026/heard/"
ARTICLE_25_V2 = HEARD + "constitution/v2/p/II/25/"


@pytest.fixture
def publish_draft_2(demo, make_version):
    """Publish the demo's draft 2 (the ICCPR's grounds in Article 25(1)), after the concerns about draft 1 are raised."""
    return lambda: make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})


def _provision(number, path):
    return Provision.objects.get(version__document__slug="constitution", version__number=number, path=path)


def _decided_with_changes(member, demo, comments, draft_2, *, concern=None, title="Restricting rights on 'spiritual and moral values'",
                          rationale="The ICCPR's grounds replace them."):
    concern = concern or concerns.concern_create(actor=member, consultation_id=demo.pk, title=title, comment_ids=[c.pk for c in comments])
    changes = [c.pk for c in selectors.concern_change_suggestions(concern=concern, version=draft_2) if c.kind != "unchanged"]
    return concerns.concern_decide(
        actor=member, concern_id=concern.pk, status="accepted", rationale=rationale, resolved_in_id=draft_2.pk, change_ids=changes,
        norms=[concerns.NormInput("ICCPR art. 18(3)", "https://www.ohchr.org/iccpr")],
    )


# --- one provision's record ----------------------------------------------------------------------------


def test_a_provisions_record_shows_its_words_figures_decisions_and_changed_words(client, demo, member, comments, publish_draft_2):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in comments])
    draft_2 = publish_draft_2()
    _decided_with_changes(member, demo, comments, draft_2, concern=concern)
    response = client.get(ARTICLE_25_V2)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<h1>Article 25\s*<small>What we heard and what changed</small></h1>", page)
    assert "public health and public morals" in page  # the words as in draft 2
    assert "3 of 3 comments answered" in page and '<progress max="3" value="3"' in page
    assert f'href="/c/tarvania-2026/concerns/{concern.pk}/">Vague grounds</a>' in page
    assert "Accepted" in page and "The ICCPR&#x27;s grounds replace them." in page and "3 people" in page
    assert "ICCPR art. 18(3)" in page and "What changed in the words" in page
    assert "<del> of the population, and spiritual and moral values</del><ins> and public morals</ins>" in page
    assert 'href="/c/tarvania-2026/constitution/v2/p/II/25/?lang=en">Read it with its comments</a>' in page


def test_a_paragraphs_record_has_its_own_concerns_and_the_articles_has_its_paragraphs(client, demo, member, comments, publish_draft_2):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in comments])
    publish_draft_2()
    for url in (HEARD + "constitution/v1/p/II/25/1/", HEARD + "constitution/v1/p/II/25/", ARTICLE_25_V2):
        page = client.get(url).content.decode()
        assert "Vague grounds" in page and "1 point raised about it" in page, url
        assert "0 of 3 comments answered" not in page and "3 of 3 comments answered" in page, url
    sibling = client.get(HEARD + "constitution/v2/p/II/25/2/").content.decode()
    assert "Vague grounds" not in sibling and "No point has been raised about this provision yet." in sibling
    assert "No comment to answer yet." in sibling and "0 of 0" not in sibling


def test_a_campaign_counts_as_one_point_with_its_supporters(client, demo, member, make_participant, draft_provision):
    from comments.campaigns import services as campaigns

    letter = ("Please replace the grounds of spiritual and moral values with the grounds that the International "
              "Covenant on Civil and Political Rights allows, as other states have done.")
    letters = [
        comment_services.comment_submit(author=make_participant(f"Sender {n}"), provision_id=draft_provision.pk, body=f"{letter} {n}",
                                        stance="oppose", language="en")
        for n in range(3)
    ]
    own = comment_services.comment_submit(author=make_participant("Own Words"), provision_id=draft_provision.pk,
                                          body="Who decides what 'moral values' are?", stance="question", language="en")
    campaigns.campaigns_sweep()
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in [*letters, own]])
    for url in (HEARD, HEARD + "constitution/v1/p/II/25/1/"):
        page = client.get(url).content.decode()
        assert "<dt>Comments</dt><dd>4 <span class=\"meta\">(3 of them from 1 campaign, counted as one point)</span>" in page, url
        assert "<dt>Supporters</dt><dd>4 people</dd>" in page, url


def test_a_campaign_left_with_one_published_letter_is_no_longer_counted_as_one(client, demo, member, make_participant, draft_provision):
    from comments.campaigns import services as campaigns

    letter = ("Please replace the grounds of spiritual and moral values with the grounds that the International "
              "Covenant on Civil and Political Rights allows, as other states have done.")
    senders = [make_participant(f"Sender {n}") for n in range(3)]
    letters = [
        comment_services.comment_submit(author=sender, provision_id=draft_provision.pk, body=f"{letter} {n}", stance="oppose", language="en")
        for n, sender in enumerate(senders)
    ]
    campaigns.campaigns_sweep()
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in letters])
    assert "(3 of them from 1 campaign, counted as one point)" in client.get(HEARD).content.decode()
    for sender, comment in list(zip(senders, letters))[1:]:
        comment_services.comment_withdraw(comment_id=comment.pk, author=sender)
    page = client.get(HEARD).content.decode()
    assert "Vague grounds" in page and "from 1 campaign" not in page


def test_a_provisions_record_does_not_grow_in_queries_per_concern(client, demo, member, comments, publish_draft_2, django_assert_max_num_queries):
    first = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Concern 0", comment_ids=[comments[0].pk])
    others = [
        concerns.concern_create(actor=member, consultation_id=demo.pk, title=f"Concern {n}", comment_ids=[comments[n % 3].pk])
        for n in range(1, 6)
    ]
    draft_2 = publish_draft_2()
    _decided_with_changes(member, demo, comments, draft_2, concern=first)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ARTICLE_25_V2).status_code == 200
        return len(queries)

    one_decided = count()
    for concern in others:
        _decided_with_changes(member, demo, comments, draft_2, concern=concern)
    with django_assert_max_num_queries(22):
        page = client.get(ARTICLE_25_V2).content.decode()
    assert page.count('class="card concern"') == 6 and page.count('class="change kind-modified"') == 12
    assert count() == one_decided


@pytest.mark.parametrize(
    "url",
    [HEARD + "constitution/v2/p/II/99/", HEARD + "no-such-law/v1/p/II/25/", HEARD + "constitution/v9/p/II/25/",
     "/c/no-such-consultation/heard/constitution/v1/p/II/25/"],
)
def test_a_record_of_nothing_is_not_found(client, demo, url):
    assert client.get(url).status_code == 404


def test_the_record_is_escaped(client, demo, member, comments, publish_draft_2):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="<script>alert('t')</script>", comment_ids=[c.pk for c in comments])
    draft_2 = publish_draft_2()
    _decided_with_changes(member, demo, comments, draft_2, concern=concern, rationale="<img src=x onerror=alert(1)>")
    for url in (ARTICLE_25_V2, HEARD, HEARD + "summary/", HEARD + "constitution/v1-v2/"):
        page = client.get(url).content.decode()
        assert "<script>alert(" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page, url


def test_the_record_is_linked_from_the_provision_and_the_public_record(client, demo, member, comments):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in comments])
    reader = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert 'href="/c/tarvania-2026/heard/constitution/v1/p/II/25/1/?lang=en"' in reader
    public = client.get(HEARD).content.decode()
    assert 'href="/c/tarvania-2026/heard/constitution/v1/p/II/25/1/"' in public


# --- the consultation's record per document -------------------------------------------------------------------


def test_the_public_record_gives_each_documents_figures_and_filters_by_document(client, demo, member, comments):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    page = client.get(HEARD).content.decode()
    constitution = page.index('href="/c/tarvania-2026/heard/?document=constitution"')
    law = page.index('href="/c/tarvania-2026/heard/?document=referendum-law"')
    assert "1 of 3 comments answered" in page[constitution:law] and "Nobody has commented on it yet." in page[law:]
    assert '<select id="f-document" name="document">' in page and 'href="/c/tarvania-2026/heard/constitution/v0-v1/"' in page
    assert 'href="/c/tarvania-2026/heard/summary/"' in page

    law_only = client.get(HEARD, {"document": "referendum-law"}).content.decode()
    assert "Vague grounds" not in law_only and "has not raised any concern" in law_only
    assert '<option value="referendum-law" selected>' in law_only
    constitution_only = client.get(HEARD, {"document": "constitution"}).content.decode()
    assert "Vague grounds" in constitution_only and "<strong>1 of 3 comments answered</strong>" in constitution_only
    assert client.get(HEARD, {"document": "no-such-law"}).status_code == 404


def test_the_filtered_record_keeps_its_filter_across_pages(client, demo, member, comments):
    for n in range(26):
        concerns.concern_create(actor=member, consultation_id=demo.pk, title=f"Point {n}", comment_ids=[comments[n % 3].pk])
    first = client.get(HEARD, {"document": "constitution"}).content.decode()
    assert 'href="?document=constitution&amp;page=2"' in first
    second = client.get(HEARD, {"document": "constitution", "page": 2}).content.decode()
    assert second.count('class="card concern"') == 1


def test_the_per_document_figures_are_one_query(demo, member, comments, django_assert_num_queries):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    list(demo.document_links.all())  # as consultation_get prefetches them
    from consult.selectors import consultation_get

    consultation = consultation_get(slug="tarvania-2026")
    with django_assert_num_queries(1):
        figures = selectors.comments_accounted_for_by_document(consultation=consultation)
    assert sorted((f.accounted, f.total) for f in figures.values()) == [(0, 0), (1, 3)]


# --- the tables as pages ------------------------------------------------------------------------------------


def test_the_summary_table_page_walks_every_comment_once(client, demo, make_participant, draft_provision, django_assert_max_num_queries):
    for n in range(51):
        comment_services.comment_submit(author=make_participant(f"Citizen {n}"), provision_id=draft_provision.pk,
                                        body=f"Point number {n} about the grounds.", stance="oppose", language="en")
    with django_assert_max_num_queries(14):
        first = client.get(HEARD + "summary/").content.decode()
    second = client.get(HEARD + "summary/", {"page": 2}).content.decode()
    rows = [re.findall(r"Point number (\d+) about", page) for page in (first, second)]
    assert len(rows[0]) == 50 and len(rows[1]) == 1 and sorted(map(int, rows[0] + rows[1])) == list(range(51))
    assert "<caption>Summary of comments: Constitutional reform of the Republic of Tarvania — page 1 of 2</caption>" in first
    assert '<th scope="col">Structural element</th>' in first and '<th scope="row" data-label="Structural element">Draft 1, II/25/1</th>' in first
    assert '<td data-label="Decision">Not yet answered</td>' in first and 'rel="next" href="?page=2"' in first
    for fmt in ("csv", "docx", "json"):
        assert f'href="/api/v1/consultations/tarvania-2026/tables/summary.{fmt}"' in first


def test_the_summary_table_page_shows_a_campaign_as_one_row(client, demo, make_participant, draft_provision):
    from comments.campaigns import services as campaigns

    letter = ("Please replace the grounds of spiritual and moral values with the grounds that the International "
              "Covenant on Civil and Political Rights allows, as other states have done.")
    for n in range(3):
        comment_services.comment_submit(author=make_participant(f"Sender {n}"), provision_id=draft_provision.pk, body=f"{letter} {n}",
                                        stance="oppose", language="en")
    campaigns.campaigns_sweep()
    page = client.get(HEARD + "summary/").content.decode()
    assert page.count("<tr>") == 2 and '<td data-label="Author">Campaign of 3 comments</td>' in page  # the header and one row
    rows = client.get("/api/v1/consultations/tarvania-2026/tables/summary.json").json()["rows"]
    assert [row["author"] for row in rows] == ["Campaign of 3 comments"]


def test_an_empty_summary_table(client, demo):
    page = client.get(HEARD + "summary/").content.decode()
    assert "No comment has been published in this consultation yet." in page and "<table" not in page


def test_the_comparative_table_page(client, demo, member, comments, publish_draft_2):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[c.pk for c in comments])
    draft_2 = publish_draft_2()
    _decided_with_changes(member, demo, comments, draft_2, concern=concern)
    response = client.get(HEARD + "constitution/v1-v2/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Comparative table: Constitution of the Republic of Tarvania, Draft 1 → Draft 2</caption>" in page
    assert '<th scope="row" data-label="Structural element">II/25 (modified)</th>' in page
    assert '<td data-label="Concerns addressed">Vague grounds (accepted)</td>' in page
    assert 'href="/api/v1/consultations/tarvania-2026/tables/constitution/v1-v2.docx"' in page
    assert 'href="/c/tarvania-2026/constitution/compare/v1-v2/"' in page
    assert 'href="/c/tarvania-2026/heard/constitution/v1-v2/"' in client.get(HEARD).content.decode()


def test_a_comparative_table_needs_two_versions_and_a_computed_comparison(client, demo, publish_draft_2):
    draft_2 = publish_draft_2()
    assert client.get(HEARD + "constitution/v2-v1/").status_code == 404
    assert client.get(HEARD + "constitution/v1-v7/").status_code == 404
    assert client.get(HEARD + "referendum-law/v0-v1/").status_code == 404
    Alignment.objects.filter(new_version=draft_2, old_version__number=1).update(status="pending")
    response = client.get(HEARD + "constitution/v1-v2/")
    assert response.status_code == 409 and "The comparison of these versions is not computed yet." in response.content.decode()


# --- in the consultation's languages --------------------------------------------------------------------------------


def test_the_tables_follow_the_page_language(client, demo, member, comments):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get(HEARD + "summary/").content.decode()
    assert '<th scope="col">Структурный элемент</th>' in page and "Ответа пока нет" in page
    answer = client.get("/api/v1/consultations/tarvania-2026/tables/summary.csv")
    with translation.override("en"):  # a streamed body is made after the view returned, maybe in another thread
        lines = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Структурный элемент", "Автор", "Квитанция", "Комментарий", "Решение", "Обоснование"]
    assert {line[4] for line in lines[1:]} == {"Vague grounds: Открыто", "Ответа пока нет"}
    document = docx.Document(io.BytesIO(client.get("/api/v1/consultations/tarvania-2026/tables/summary.docx").content))
    assert document.paragraphs[0].text.startswith("Сводная таблица замечаний")
    assert [cell.text for cell in document.tables[0].rows[0].cells][:2] == ["Структурный элемент", "Автор"]
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    assert '<th scope="col">Құрылымдық элемент</th>' in client.get(HEARD + "summary/").content.decode()
    lines = b"".join(client.get("/api/v1/consultations/tarvania-2026/tables/constitution/v0-v1.csv").streaming_content).decode("utf-8-sig")
    assert lines.splitlines()[0] == "Құрылымдық элемент,Бұрынғы редакция,Жаңа редакция,Ескерілген ескертпелер,Шешімнің негіздемесі"
