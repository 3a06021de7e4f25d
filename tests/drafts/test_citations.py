"""Provisions are named as people cite them, never as a bare "— 3" (pure: no database)."""
from __future__ import annotations

from typing import NamedTuple

import pytest

from drafts.citations import provision_citation


class Step(NamedTuple):
    kind: str
    number: str


SECTION_II = Step("section", "II")
ARTICLE_25 = Step("article", "25")
PARAGRAPH_1 = Step("paragraph", "1")
SUBPARAGRAPH_2 = Step("subparagraph", "2")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Article 25, paragraph 1"), ("ru", "Статья 25, пункт 1"), ("kk", "25-бап 1-тармақ")],
)
def test_a_paragraph_is_cited_with_its_article(language, expected):
    assert provision_citation([SECTION_II, ARTICLE_25, PARAGRAPH_1], language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Article 25, paragraph 1, sub-paragraph 2)"),
        ("ru", "Статья 25, пункт 1, подпункт 2)"),
        ("kk", "25-бап 1-тармақ 2) тармақша"),
    ],
)
def test_a_sub_paragraph_names_its_paragraph_and_article(language, expected):
    assert provision_citation([SECTION_II, ARTICLE_25, PARAGRAPH_1, SUBPARAGRAPH_2], language) == expected


@pytest.mark.parametrize(
    ("chain", "language", "expected"),
    [
        ([SECTION_II, ARTICLE_25], "en", "Article 25"),
        ([SECTION_II, ARTICLE_25], "kk", "25-бап"),
        ([SECTION_II], "ru", "Раздел II"),
        ([SECTION_II], "kk", "II бөлім"),
        ([Step("part", "1"), Step("chapter", "3")], "kk", "3-тарау"),
        ([Step("preamble", "")], "ru", "Преамбула"),
        ([Step("preamble", ""), Step("paragraph", "2")], "en", "Preamble, paragraph 2"),
        ([Step("chapter", "3"), Step("paragraph", "2")], "en", "Chapter 3, paragraph 2"),  # no article above it
        ([Step("section", "")], "en", "Section"),  # an annex: unnumbered
    ],
)
def test_the_citation_starts_at_the_nearest_provision_that_is_not_a_point(chain, language, expected):
    assert provision_citation(chain, language) == expected


def test_another_language_or_a_regional_code_is_cited_as_its_base_or_in_english():
    chain = [SECTION_II, ARTICLE_25, PARAGRAPH_1]
    assert provision_citation(chain, "kk-kz") == "25-бап 1-тармақ"
    assert provision_citation(chain, "de") == "Article 25, paragraph 1"
    assert provision_citation([], "en") == ""


@pytest.mark.django_db
def test_provisions_of_several_versions_are_cited_with_their_ancestors_read_in_one_query(demo, django_assert_num_queries):
    from drafts.models import Provision
    from drafts.selectors import provision_citations

    def provision(number, path):
        return Provision.objects.get(version__document__slug="constitution", version__number=number, path=path)

    wanted = [provision(1, "II/25/1"), provision(1, "II/25"), provision(1, "II"), provision(0, "II/21/1"), None]
    with django_assert_num_queries(1):
        citations = provision_citations(provisions=wanted, language="kk")
    assert list(citations.values()) == ["25-бап 1-тармақ", "25-бап", "II бөлім", "21-бап 1-тармақ"]
    with django_assert_num_queries(0):
        assert provision_citations(provisions=[None], language="en") == {}
        assert provision_citations(provisions=[wanted[2]], language="ru") == {wanted[2].pk: "Раздел II"}  # a root has no ancestors


def test_an_unnumbered_paragraph_is_cited_as_a_part_by_its_place():
    from types import SimpleNamespace

    chain = [SimpleNamespace(kind="article", number="3"), SimpleNamespace(kind="paragraph", number="2", number_printed=False)]
    assert provision_citation(chain, "en") == "Article 3, part 2"
    assert provision_citation(chain, "ru") == "Статья 3, часть 2"
    assert provision_citation(chain, "kk") == "3-бап 2-бөлік"
