"""Changes easy to see (issue 11, point 5): the comparison lists changed provisions first and folds the unchanged
ones; a share is never a rounded "0%" when words changed; the reader marks the articles that changed since the
previous version and links each to its change; the old and new columns carry visible headings."""
import re

import pytest

from consult.templatetags.change_figures import share_count, share_percent
from drafts.models import Alignment, ProvisionChange

pytestmark = pytest.mark.django_db

READER = "/c/tarvania-2026/constitution/v1/"
V0_V1 = "/c/tarvania-2026/constitution/compare/v0-v1/"


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0, "0%"), (0.0, "0%"), (0.0001, "<1%"), (0.0049, "<1%"), (0.01, "1%"), (0.4951, "50%"), (0.995, ">99%"), (1, "100%"),
     (None, "—"), ("x", "—")],
)
def test_a_share_is_never_a_rounded_zero_when_something_changed(share, shown):
    assert share_percent(share) == shown


def test_the_count_behind_a_share_is_at_least_one_when_the_share_is_not_zero():
    assert share_count(0.0001, 120) == 1
    assert share_count(0.25, 400) == 100
    assert share_count(0, 400) == 0
    assert share_count("x", 400) == 0


def _alignment():
    return Alignment.objects.get(old_version__number=0, new_version__number=1)


def test_the_comparison_lists_changed_provisions_first_and_folds_the_unchanged(client, demo):
    sequence, folded_pages = [], 0
    for number in range(1, 20):
        response = client.get(V0_V1, {"level": "paragraph", "page": number})
        page = response.content.decode()
        changed_part, _, folded = page.partition('<details class="unchanged-changes"')
        shown = re.findall(r'<li id="(?:change|unchanged)-\d+" class="change kind-(\w+)"', page)
        assert "unchanged" not in re.findall(r'<li id="change-\d+" class="change kind-(\w+)"', changed_part)
        assert set(re.findall(r'class="change kind-(\w+)"', folded)) <= {"unchanged"}
        folded_pages += bool(folded)
        sequence += shown
        if f'Page {number} of {number}<' in page or "Page " not in page:
            break
    assert folded_pages, "the unchanged provisions are folded in a <details> at the end"
    first_unchanged = sequence.index("unchanged")
    assert first_unchanged > 0 and set(sequence[first_unchanged:]) == {"unchanged"}  # changed first, then the unchanged
    expected = ProvisionChange.objects.filter(alignment=_alignment(), level="paragraph").count()
    assert len(sequence) == expected


def test_the_old_and_new_columns_have_visible_headings(client, demo):
    page = client.get(V0_V1, {"kind": "modified"}).content.decode()
    assert '<h3 class="column-heading">Old: ' in page and '<h3 class="column-heading">New: ' in page
    assert '<h3 class="visually-hidden">' not in page


def test_small_shares_read_less_than_one_percent_with_the_counts(client, demo):
    alignment = _alignment()
    figures = dict(alignment.figures, old_words=2000, old_words_changed_share=0.0015, new_words=2010, new_words_new_share=0.002)
    Alignment.objects.filter(pk=alignment.pk).update(figures=figures)
    page = client.get(V0_V1).content.decode()
    assert '<span class="big">&lt;1%</span>' in page and '<span class="big">0%</span>' not in page
    assert "3 of 2000 words" in page and "4 of 2010 words" in page


def test_the_digest_report_uses_the_same_figures_filter():
    figures = {"old_words": 5000, "old_words_changed_share": 0.0004, "new_words": 5000, "new_words_new_share": 0.0,
               "levels": [{"level": "article", "old_count": 40, "new_count": 41, "changed_share": 0.0244,
                           "counts": {"unchanged": 40, "added": 1}}], "definitions": {}}
    from django.template.loader import render_to_string

    c = {"comparison": {"figures": figures, "previous": None}, "report": {}}
    html = render_to_string("comments/digests/report.html", {"c": c})
    assert "<strong>&lt;1%</strong>" in html and "(2 of 5000 words)" in html
    assert "<strong>0%</strong>" in html  # nothing new: a true zero
    assert "<strong>2%</strong>" in html and "(1 of 41)" in html


def test_the_reader_marks_changed_articles_and_links_each_to_its_change(client, demo):
    page = client.get(READER).content.decode()
    changed = {
        (change.pk, p.path)
        for change in ProvisionChange.objects.filter(alignment=_alignment(), level="article").exclude(kind="unchanged")
        for p in change.new_provisions.all()
    }
    assert changed
    links = set(re.findall(r'href="' + re.escape(V0_V1) + r'\?change=(\d+)#c(\d+)">Changed<span class="visually-hidden"> since', page))
    assert links and all(a == b for a, b in links)
    assert {int(a) for a, _ in links} == {pk for pk, _ in changed}
    unchanged = ProvisionChange.objects.filter(alignment=_alignment(), level="article", kind="unchanged").first()
    if unchanged is not None:
        assert f"?change={unchanged.pk}#" not in page
    # each link opens the comparison on the page that holds that change, at its anchor
    for pk, _path in sorted(changed)[:3]:
        target = client.get(V0_V1, {"change": pk}).content.decode()
        assert f'<header id="c{pk}">' in target


def test_a_link_to_a_change_opens_the_page_that_holds_it(client, demo):
    changes = list(
        ProvisionChange.objects.filter(alignment=_alignment(), level="paragraph").exclude(kind="unchanged").order_by("order")
    )
    assert len(changes) > 25, "the demo has more changed paragraphs than one page"
    last = changes[-1]
    assert f'<header id="c{last.pk}">' not in client.get(V0_V1, {"level": "paragraph"}).content.decode()
    assert f'<header id="c{last.pk}">' in client.get(V0_V1, {"level": "paragraph", "change": last.pk}).content.decode()
    # an unknown or foreign change id is simply the first page
    assert client.get(V0_V1, {"level": "paragraph", "change": 99999999}).status_code == 200
    assert client.get(V0_V1, {"level": "paragraph", "change": "abc"}).status_code == 200


def test_a_section_filter_keeps_the_changed_first_order(client, demo):
    response = client.get(V0_V1, {"level": "paragraph", "section": "II"})
    assert response.status_code == 200
    kinds = re.findall(r'<li id="(?:change|unchanged)-\d+" class="change kind-(\w+)"', response.content.decode())
    assert kinds and kinds[0] != "unchanged"


def test_the_first_version_has_no_marks(client, demo):
    page = client.get("/c/tarvania-2026/constitution/v0/").content.decode()
    assert "changed-badge" not in page


def test_the_reader_marks_cost_one_query(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        client.get(READER)
