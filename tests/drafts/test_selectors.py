"""The reader's selectors: the tree in one language, fallbacks, one provision, and bounded query counts."""
import pytest

from config.errors import NotFound
from drafts import selectors
from tests.conftest import SMALL_CONSTITUTION_EN, SMALL_CONSTITUTION_RU

pytestmark = pytest.mark.django_db


def _article(n: int) -> str:
    return f"### Article {n}\n\n1. Paragraph one of article {n}.\n2. Paragraph two of article {n}.\n"


def _long_text(articles: int) -> str:
    return "## Section I. All\n\n" + "\n".join(_article(n) for n in range(1, articles + 1))


def test_tree_nests_provisions_in_reading_order(document, make_version):
    version = make_version(document)
    roots = selectors.provision_tree_for_version(version=version, language="en")
    assert [r.path for r in roots] == ["preamble", "I", "II"]
    article_1 = roots[1].children[0]
    assert (article_1.kind, article_1.number) == ("article", "1")
    assert [c.path for c in article_1.children] == ["I/1/1", "I/1/2"]
    assert [c.text for c in article_1.children[1].children] == ["this Constitution;", "the laws."]


def test_tree_falls_back_to_the_authoritative_text_where_untranslated(document, make_version):
    version = make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    roots = selectors.provision_tree_for_version(version=version, language="ru")
    section_1, section_2 = roots[1], roots[2]
    assert section_1.children[1].text.startswith("Столица") and not section_1.children[1].is_fallback
    assert section_2.children[0].children[0].text == "Everyone has the right to life."
    assert section_2.children[0].children[0].is_fallback


def test_provision_get_returns_the_subtree(document, make_version):
    version = make_version(document)
    node = selectors.provision_get(version=version, path="I/1", language="en")
    assert [c.path for c in node.children] == ["I/1/1", "I/1/2"]
    assert len(node.children[1].children) == 2


def test_provision_get_unknown_path_is_not_found(document, make_version):
    version = make_version(document)
    with pytest.raises(NotFound):
        selectors.provision_get(version=version, path="IX/99", language="en")


def test_unpublished_versions_are_not_public(document, make_version):
    version = make_version(document, publish=False)
    with pytest.raises(NotFound):
        selectors.draft_version_get(document=document, number=version.number)
    assert selectors.draft_version_get(document=document, number=version.number, public_only=False) == version


def test_parallel_texts_show_every_language(document, make_version):
    version = make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    rows = selectors.provision_parallel_texts(provision=version.provisions.get(path="I/2"))
    [(provision, texts)] = rows
    assert [t.language for t in texts] == ["en", "ru"]
    rows = selectors.provision_parallel_texts(provision=version.provisions.get(path="II/3"))
    assert all(texts[1] is None for _p, texts in rows)


@pytest.mark.parametrize("articles", [5, 60])
def test_tree_query_count_does_not_grow_with_the_document(document, make_version, django_assert_max_num_queries, articles):
    make_version(document, texts={"en": _long_text(articles)})
    version = selectors.draft_version_get(document=document, number=1)
    with django_assert_max_num_queries(2):
        roots = selectors.provision_tree_for_version(version=version, language="en")
    assert len(roots[0].children) == articles
