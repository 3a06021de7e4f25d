"""The comment form and the buttons under a comment, as the server serves them: the provision is the
author's explicit choice (a quote is never moved to where it is found), named as people cite it; a refused
form says why at the top (focused) and at each field, with no dangling aria-describedby id; an endorsement
can be taken back; withdrawing asks first."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from comments import services
from comments.models import Comment, Endorsement
from config.errors import NotFound, PermissionDenied
from drafts.models import Provision

pytestmark = pytest.mark.django_db
ARTICLE = "/c/tarvania-2026/constitution/v1/p/II/25/"
WORDS = "spiritual and moral values"  # in paragraph 1 of Article 25, not in the article's own text


class _Page(HTMLParser):
    """The ids on a page, the ids its aria attributes point at, and the options of the provision select."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.references, self.options, self.autofocus = set(), [], [], []
        self._in_provision = self._option = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("aria-describedby", "aria-labelledby", "for"):
            if attrs.get(name):
                self.references += [(tag, name, ref) for ref in attrs[name].split()]
        if "autofocus" in attrs:
            self.autofocus.append(attrs.get("id"))
        if tag == "select" and attrs.get("name") == "provision":
            self._in_provision = True
        if tag == "option" and self._in_provision:
            self._option = [attrs.get("value"), attrs.get("selected") is not None or "selected" in attrs, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options.append((self._option[0], self._option[1], self._option[2].strip()))
            self._option = None
        if tag == "select":
            self._in_provision = None

    def dangling(self) -> list:
        return [ref for ref in self.references if ref[2] not in self.ids]


def _provision(path: str) -> Provision:
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path=path)


def _data(provision, **overrides) -> dict:
    return {"provision": provision.pk, "stance": "oppose", "body": "Name the values.", "lang": "en", **overrides}


@pytest.mark.parametrize(
    ("language", "article", "paragraph"),
    [("en", "Article 25", "Article 25, paragraph 1"), ("ru", "Статья 25", "Статья 25, пункт 1"), ("kk", "25-бап", "25-бап 1-тармақ")],
)
def test_the_about_list_names_provisions_as_people_cite_them(client, aigerim, demo, language, article, paragraph):
    client.force_login(aigerim)
    page = _Page(client.get(ARTICLE, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    values, selected, labels = zip(*page.options)
    assert values[0] == str(_provision("II/25").pk) and selected[0]  # the page's provision, until the author chooses
    assert labels[0].startswith(article) and labels[1] == paragraph
    assert not any("—" in label or re.fullmatch(r"\d+\.?", label) for label in labels), labels


def test_a_comment_on_a_paragraph_names_it_on_the_article_page(client, aigerim, make_participant, demo):
    services.comment_submit(author=aigerim, provision_id=_provision("II/25/1").pk, body="On the values.", stance="oppose", language="en")
    html = client.get(ARTICLE).content.decode()
    assert re.search(r'class="comment-on">on <a href="#p-II\.25\.1">Article 25, paragraph 1</a>', html), html


def test_a_quote_is_checked_in_the_chosen_provision_and_never_moves_the_comment(client, aigerim, demo):
    """The words are in paragraph 1; with the article chosen they are refused at the quote field."""
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", _data(_provision("II/25"), quote_exact=WORDS))
    assert response.status_code == 400 and not Comment.objects.exists()
    page = _Page(html := response.content.decode())
    assert "id_quote_exact_error" in page.ids and "The quoted words are not in the text of this provision." in html
    assert re.search(r'<input[^>]*name="quote_exact"[^>]*aria-describedby="id_quote_exact_helptext id_quote_exact_error"', html)
    assert [value for value, selected, _label in page.options if selected] == [str(_provision("II/25").pk)]  # still the author's choice

    response = client.post(ARTICLE + "comment/", _data(_provision("II/25/1"), quote_exact=WORDS))
    assert response.status_code == 302
    comment = Comment.objects.select_related("provision").get()
    assert comment.provision.path == "II/25/1" and comment.quote_exact == WORDS


def test_a_provision_outside_the_page_cannot_be_chosen(client, aigerim, demo):
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", _data(_provision("II/24")))
    assert response.status_code == 400 and not Comment.objects.exists()
    assert "id_provision_error" in _Page(response.content.decode()).ids


def test_a_refused_form_is_summarised_at_the_top_focused_with_every_described_by_id_on_the_page(client, aigerim, make_participant, demo):
    services.comment_submit(author=make_participant("Bolat"), provision_id=_provision("II/25/1").pk, body="Agreed.", stance="support", language="en")
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", _data(_provision("II/25"), stance="", body="", quote_exact="nowhere to be found"))
    html = response.content.decode()
    page = _Page(html)
    assert response.status_code == 400
    assert page.autofocus == ["comment-form-errors"]
    summary = re.search(r'<div class="error-summary" id="comment-form-errors" role="alert" tabindex="-1" autofocus>.*?</div>', html, re.S)
    assert summary, html
    summary = summary.group(0)
    for target in ("#id_stance", "#id_body"):
        assert f'href="{target}"' in summary and target[1:] in page.ids
    assert page.dangling() == []


def test_every_described_by_id_exists_on_the_article_page_signed_in(client, aigerim, make_participant, demo):
    services.comment_submit(author=make_participant("Bolat"), provision_id=_provision("II/25/1").pk, body="Agreed.", stance="support", language="en")
    client.force_login(aigerim)
    page = _Page(client.get(ARTICLE).content.decode())
    assert page.references and page.dangling() == []
    assert page.autofocus == []  # nothing takes the focus when nothing was refused


# --- endorsing and taking it back ---------------------------------------------------------------


@pytest.fixture
def bolats_comment(make_participant, demo):
    return services.comment_submit(author=make_participant("Bolat"), provision_id=_provision("II/25/1").pk, body="Agreed.", stance="support", language="en")


def test_an_endorsement_is_taken_back_and_the_count_follows(aigerim, bolats_comment):
    services.comment_endorse(comment_id=bolats_comment.pk, user=aigerim)
    comment = services.comment_unendorse(comment_id=bolats_comment.pk, user=aigerim)
    assert comment.endorsement_count == 0 and not Endorsement.objects.exists()
    assert services.comment_endorse(comment_id=bolats_comment.pk, user=aigerim).endorsement_count == 1  # and given again


def test_taking_back_an_endorsement_never_given_changes_nothing(aigerim, make_participant, bolats_comment):
    services.comment_endorse(comment_id=bolats_comment.pk, user=make_participant("Dana"))
    with pytest.raises(NotFound) as refused:
        services.comment_unendorse(comment_id=bolats_comment.pk, user=aigerim)
    assert refused.value.code == "not_endorsed"
    with pytest.raises(PermissionDenied):
        services.comment_unendorse(comment_id=bolats_comment.pk, user=_anonymous())
    assert Comment.objects.get(pk=bolats_comment.pk).endorsement_count == 1 and Endorsement.objects.count() == 1


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_the_endorse_button_shows_the_endorsement_and_takes_it_back(client, aigerim, bolats_comment):
    client.force_login(aigerim)
    url = "/c/tarvania-2026/constitution/v1/p/II/25/1/"
    html = client.get(url).content.decode()
    assert f'action="/comments/{bolats_comment.pk}/endorse/"' in html and "You endorsed this" not in html
    assert re.search(r">\+1 Endorse<span class=\"visually-hidden\"> the comment of Bolat</span></button>", html)

    client.post(f"/comments/{bolats_comment.pk}/endorse/", {"next": url})
    html = client.get(url).content.decode()
    assert "You endorsed this" in html and f'action="/comments/{bolats_comment.pk}/endorse/"' not in html
    assert f'action="/comments/{bolats_comment.pk}/unendorse/"' in html and "1 endorsement<" in html
    assert re.search(r">Take back<span class=\"visually-hidden\"> your endorsement of the comment of Bolat</span></button>", html)

    response = client.post(f"/comments/{bolats_comment.pk}/unendorse/", {"next": url}, follow=True)
    html = response.content.decode()
    assert "Your endorsement was taken back." in html and "You endorsed this" not in html and "0 endorsements" in html
    assert Comment.objects.get(pk=bolats_comment.pk).endorsement_count == 0


# --- withdrawing asks first -----------------------------------------------------------------------


def test_withdraw_opens_a_confirmation_page_and_only_its_form_withdraws(client, aigerim, demo):
    comment = services.comment_submit(author=aigerim, provision_id=_provision("II/25/1").pk, body="Mine.", stance="support", language="en")
    client.force_login(aigerim)
    card = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert f'href="/comments/{comment.pk}/withdraw/"' in card and f'action="/comments/{comment.pk}/withdraw/"' not in card

    confirmation = client.get(f"/comments/{comment.pk}/withdraw/")
    html = confirmation.content.decode()
    assert confirmation.status_code == 200 and "Withdraw your comment?" in html and "Mine." in html
    assert f'action="/comments/{comment.pk}/withdraw/"' in html and 'href="/c/tarvania-2026/constitution/v1/p/II/25/1/#comment-' in html
    assert Comment.objects.get().status == Comment.Status.PUBLISHED  # asking changed nothing

    response = client.post(f"/comments/{comment.pk}/withdraw/", follow=True)
    assert Comment.objects.get().status == Comment.Status.WITHDRAWN
    assert "Your comment is withdrawn" in response.content.decode()
    assert client.get(f"/comments/{comment.pk}/withdraw/").status_code == 409  # already withdrawn: nothing to confirm


def test_only_the_author_is_asked_to_withdraw(client, aigerim, make_participant, demo):
    comment = services.comment_submit(author=aigerim, provision_id=_provision("II/25/1").pk, body="Mine.", stance="support", language="en")
    assert client.get(f"/comments/{comment.pk}/withdraw/").status_code == 302  # to sign in
    client.force_login(make_participant("Bolat"))
    assert client.get(f"/comments/{comment.pk}/withdraw/").status_code == 403
    client.post(f"/comments/{comment.pk}/withdraw/")
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_a_paragraph_s_page_names_it_and_its_neighbours_as_cited(client, demo):
    html = client.get(ARTICLE + "2/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert re.search(r"<title>Статья 25, пункт 2 — ", html)
    assert re.search(r'<h1 id="p-II\.25\.2-h">Статья 25, пункт 2\s', html)
    assert '">← Статья 25, пункт 1</a>' in html and '">Статья 25, пункт 3 →</a>' in html
