"""The two article counts of a comparison (issue 12): "whose words changed" and "changed in any way",
stored with the alignment's figures, given by the API and stated on the comparison page."""
import pytest
from rest_framework.test import APIClient

from drafts import services
from drafts.models import Alignment

pytestmark = pytest.mark.django_db

V1 = """## Section I. General

### Article 1

The state is democratic.

### Article 2

Everyone is equal before the law and the courts.

### Article 3

Everyone has the right to life.
"""

# Article 1 reworded, a new Article 2, the old Articles 2 and 3 renumbered with their words intact.
V2 = """## Section I. General

### Article 1

The state is democratic and secular.

### Article 2

Everyone has the right to a fair trial.

### Article 3

Everyone is equal before the law and the courts.

### Article 4

Everyone has the right to life.
"""


def _article_level(figures: dict) -> dict:
    return next(level for level in figures["levels"] if level["level"] == "article")


def test_stored_figures_count_a_renumbered_article_as_changed_but_not_in_its_words(document, make_version):
    first = make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = services.alignment_run(alignment_id=Alignment.objects.get(old_version=first, new_version=second).pk)
    level = _article_level(alignment.figures)
    assert level["counts"]["renumbered"] == 2 and level["counts"]["modified"] == 1 and level["counts"]["added"] == 1
    assert (level["changed"], level["words_changed"]) == (4, 2)
    assert {"changed", "words_changed", "matching"} <= set(alignment.figures["definitions"])
    assert "20%" in alignment.figures["definitions"]["matching"]


def test_the_api_and_the_comparison_page_give_both_counts(client, demo):
    api = APIClient().get("/api/v1/documents/constitution/comparison/", {"old": 0, "new": 1}).json()
    level = _article_level(api["figures"])
    assert level["counts"]["renumbered"] > 0 and level["words_changed"] < level["changed"]
    page = client.get("/c/tarvania-2026/constitution/compare/v0-v1/").content.decode()
    assert (
        f"Articles whose words changed: {level['words_changed']}. "
        f"Articles changed in any way (words, number or place): {level['changed']}."
    ) in page


def test_a_comparison_computed_before_these_counts_shows_no_empty_sentence(client, demo):
    alignment = Alignment.objects.get(old_version__number=0, new_version__number=1)
    for level in alignment.figures["levels"]:
        del level["changed"], level["words_changed"]
    alignment.save(update_fields=["figures"])
    page = client.get("/c/tarvania-2026/constitution/compare/v0-v1/").content.decode()
    assert "Articles whose words changed" not in page and "In figures" in page
