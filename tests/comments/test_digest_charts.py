"""comments.digests.charts: the heat map, bars and trend of the digest reports, as SVG. Pure: no database
(runs under `-p no:django` too). Each chart is parsed back with xml.etree, and what a reader and a screen
reader get from it (texts, <title>s, <desc>) is checked against the data."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from comments.digests.charts import GREYS, TEXT, bars_svg, heatmap_svg, trend_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    """The visible texts, in order."""
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def tooltips(root: ET.Element) -> list[str]:
    """The <title> of each cell, bar or column (not the chart's own)."""
    return [element.text or "" for element in root.iterfind(".//svg:g/svg:title", NS)]


def check_accessible(root: ET.Element, title: str) -> str:
    """role=img with the title as its label, a <title> and a <desc> it points to; a viewBox and no fixed size."""
    assert root.get("role") == "img"
    assert root.get("aria-label") == title
    assert root.find("svg:title", NS).text == title
    desc = root.find("svg:desc", NS)
    assert root.get("aria-describedby") == desc.get("id")
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", root.get("viewBox"))
    assert root.get("width") is None and "width:100%" in root.get("style")
    return desc.text


def view_height(root: ET.Element) -> float:
    return float(root.get("viewBox").split()[3])


TREE = [
    {"label": "Preamble", "count": 2, "children": []},
    {
        "label": "Section I",
        "count": 9,
        "children": [{"label": "Art. 1", "count": 0}, {"label": "Art. 2", "count": 7}, {"label": "Art. 3", "count": 2}],
    },
    {
        "label": "Section II",
        "count": 57,
        "children": [{"label": "Art. 25", "count": 40}, {"label": "Art. 26", "count": 17}],
    },
]


def test_heatmap_prints_each_count_in_its_cell_with_a_tooltip_and_a_legend():
    root = parse(heatmap_svg(TREE, title="Comments per provision"))
    desc = check_accessible(root, "Comments per provision")
    shown = texts(root)
    # Each cell shows its label then its count; a section without articles is one cell of its own.
    for label, count in [("Preamble", "2"), ("Art. 1", "0"), ("Art. 2", "7"), ("Art. 3", "2"), ("Art. 25", "40"), ("Art. 26", "17")]:
        position = shown.index(label, 2)
        assert shown[position + 1] == count
    assert {"Total: 2", "Total: 9", "Total: 57"} <= set(shown)
    tips = tooltips(root)
    assert "Section II › Art. 25: 40" in tips and "Section I › Art. 1: 0" in tips and "Preamble: 2" in tips
    # The legend: ranges of counts, one per grey, from 1 to the largest count, and 0 apart.
    assert "Comments per article:" in shown
    assert {"0", "1–8", "9–16", "17–24", "25–32", "33–40"} <= set(shown)
    assert "68 comments in all" in desc and "Section II › Art. 25 with 40" in desc and "3 sections, 6 articles" in desc


def test_heatmap_shades_by_count_in_grey_darker_for_more():
    root = parse(heatmap_svg(TREE, title="t"))
    fills = {}
    for group in root.iterfind(".//svg:g", NS):
        rect = group.find("svg:rect", NS)
        if rect is not None:
            fills[group.find("svg:title", NS).text] = rect.get("fill")
    assert fills["Section I › Art. 1: 0"] == "#ffffff"
    assert fills["Section II › Art. 25: 40"] == GREYS[-1]
    order = [GREYS.index(fills[name]) for name in ("Preamble: 2", "Section I › Art. 2: 7", "Section II › Art. 26: 17")]
    assert order == sorted(order) and order[0] < order[-1]
    # Only greys: nothing that a black-and-white printer would lose.
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', heatmap_svg(TREE, title="t")))
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_heatmap_section_count_defaults_to_the_sum_of_its_articles():
    root = parse(heatmap_svg([{"label": "II", "children": [{"label": "a", "count": 3}, {"label": "b", "count": 4}]}], title="t"))
    assert "Total: 7" in texts(root)


def test_heatmap_of_200_articles_wraps_into_rows_and_stays_bounded():
    tree = [
        {"label": f"Section {s}", "count": sum(range(s * 50, s * 50 + 50)),
         "children": [{"label": f"Art. {a}", "count": a} for a in range(s * 50, s * 50 + 50)]}
        for s in range(4)
    ]
    svg = heatmap_svg(tree, title="Many")
    root = parse(svg)
    assert len(svg) < 120_000
    assert view_height(root) < 1400  # five rows of ten per section, not one row of 200 cells
    xs = [float(r.get("x")) + float(r.get("width")) for r in root.iterfind(".//svg:g/svg:rect", NS)]
    assert max(xs) <= float(root.get("viewBox").split()[2])
    tips = tooltips(root)
    assert all(f"Section {a // 50} › Art. {a}: {a}" in tips for a in range(200))
    assert "Section 3 › Art. 199 with 199" in root.find("svg:desc", NS).text


def test_heatmap_escapes_labels_and_drops_what_xml_cannot_hold():
    evil = '<script>alert("x")</script> & \'q\'\x00\x1b'
    svg = heatmap_svg([{"label": evil, "count": 1, "children": [{"label": evil, "count": 1}]}], title=f"T {evil}")
    assert "<script" not in svg
    root = parse(svg)
    clean = '<script>alert("x")</script> & \'q\''
    assert root.get("aria-label") == f"T {clean}"
    assert f"{clean}: 1" in tooltips(root)


def test_heatmap_with_cyrillic_labels_keeps_them_whole_in_tooltips_and_cut_to_fit_in_cells():
    tree = [{
        "label": "ІІ бөлім. Адам және азамат құқықтары мен бостандықтары",
        "count": 5,
        "children": [{"label": "Бап 25", "count": 3}, {"label": "Статья 26 (ред.)", "count": 2}],
    }]
    root = parse(heatmap_svg(tree, title="Пікірлер — ережелер бойынша"))
    assert root.get("aria-label") == "Пікірлер — ережелер бойынша"
    assert "ІІ бөлім. Адам және азамат құқықтары мен бостандықтары › Бап 25: 3" in tooltips(root)
    shown = texts(root)
    assert "Бап 25" in shown
    cut = [t for t in shown if t.startswith("ІІ бөлім")][0]
    assert cut.endswith("…") and len(cut) < 40
    assert [t for t in shown if t.startswith("Статья")][0].endswith("…")


@pytest.mark.parametrize("tree", [[], None, [{"label": "I", "count": 0, "children": [{"label": "Art. 1", "count": 0}]}]])
def test_heatmap_without_comments_says_so(tree):
    root = parse(heatmap_svg(tree, title="Heat"))
    assert check_accessible(root, "Heat") == "No comments yet"
    assert texts(root) == ["Heat", "No comments yet"]


def test_bars_show_value_and_share_in_the_given_order():
    items = [("Supports", 120), ("Opposes", 45), ("Mixed", 3), ("Қолдамаймын", 0), ("Rare", 0.4)]
    root = parse(bars_svg(items, title="Stance"))
    desc = check_accessible(root, "Stance")
    shown = texts(root)
    assert shown[1:] == [
        "Supports", "120 (71%)", "Opposes", "45 (27%)", "Mixed", "3 (2%)", "Қолдамаймын", "0 (0%)", "Rare", "0.4 (<1%)",
    ]
    widths = [float(r.get("width")) for r in root.iterfind(".//svg:g/svg:rect", NS)]
    assert widths[0] > widths[1] > widths[2] > 0 and widths[3] == 0
    assert desc == "5 items, 168.4 in all. The largest is Supports with 120."


@pytest.mark.parametrize("items", [[], [("a", 0), ("b", 0)]])
def test_bars_without_data_say_so(items):
    assert texts(parse(bars_svg(items, title="Campaigns"))) == ["Campaigns", "No comments yet"]


def test_bars_refuse_a_negative_value():
    with pytest.raises(ValueError, match="non-negative"):
        bars_svg([("a", -1)], title="t")


def test_trend_fills_missing_days_with_zero_and_labels_its_axes():
    points = [("2026-10-03", 4), ("2026-10-01", 2), ("2026-10-10", 12)]
    root = parse(trend_svg(points, title="Per day"))
    desc = check_accessible(root, "Per day")
    tips = tooltips(root)
    assert tips == [f"2026-10-{d:02d}: {c}" for d, c in zip(range(1, 11), [2, 0, 4, 0, 0, 0, 0, 0, 0, 12])]
    shown = texts(root)
    assert "2026-10-01" in shown and "2026-10-10" in shown and "Comments per day" in shown
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "5", "10", "15"]  # round steps, whole numbers, the top at or above the largest count
    assert desc == "Comments per day from 2026-10-01 to 2026-10-10, 18 in all. The busiest day was 2026-10-10 with 12."


def test_trend_groups_into_weeks_then_months_when_days_are_too_many():
    start = dt.date(2026, 1, 1)  # a Thursday
    days = [((start + dt.timedelta(days=i)).isoformat(), 1) for i in range(200)]
    root = parse(trend_svg(days, title="Weeks"))
    tips = tooltips(root)
    assert tips[0] == "2025-12-29: 4" and tips[1] == "2026-01-05: 7"  # weeks from Monday
    assert "Comments per week (weeks from Monday)" in texts(root)
    assert sum(int(t.rsplit(": ", 1)[1]) for t in tips) == 200

    years = [((start + dt.timedelta(days=i)).isoformat(), 2) for i in range(0, 1200, 3)]
    svg = trend_svg(years, title="Months")
    root = parse(svg)
    tips = tooltips(root)
    assert tips[0].startswith("2026-01: ") and len(tips) == 40
    assert "Comments per month" in texts(root)
    assert len(svg) < 40_000


def test_trend_date_labels_do_not_overlap():
    days = [((dt.date(2026, 3, 1) + dt.timedelta(days=i)).isoformat(), i % 7) for i in range(117)]
    root = parse(trend_svg(days, title="t"))
    labels = sorted(
        float(t.get("x")) for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")
    )
    assert labels and all(b - a >= 62 for a, b in zip(labels, labels[1:]))
    assert labels[0] >= 31 and labels[-1] <= 720 - 31


def test_trend_takes_dates_and_datetimes_as_well_as_iso_strings():
    points = [(dt.date(2026, 10, 1), 1), (dt.datetime(2026, 10, 2, 23, 59), 2), ("2026-10-03T08:00:00+05:00", 3)]
    assert tooltips(parse(trend_svg(points, title="t"))) == ["2026-10-01: 1", "2026-10-02: 2", "2026-10-03: 3"]


@pytest.mark.parametrize("points", [[], [("2026-10-01", 0)]])
def test_trend_without_comments_says_so(points):
    assert texts(parse(trend_svg(points, title="Trend"))) == ["Trend", "No comments yet"]


def test_fixed_words_are_translated_and_a_broken_translation_falls_back_to_english():
    russian = {TEXT["empty"]: "Пока нет комментариев", TEXT["bars_desc"]: "{items} позиций, всего {total}. Больше всего: {top} ({count})."}
    assert "Пока нет комментариев" in texts(parse(bars_svg([], title="t", translate=lambda s: russian.get(s, s))))
    root = parse(bars_svg([("да", 2)], title="t", translate=lambda s: russian.get(s, s)))
    assert root.find("svg:desc", NS).text == "1 позиций, всего 2. Больше всего: да (2)."
    broken = parse(bars_svg([("да", 2)], title="t", translate=lambda s: s.replace("{total}", "{всего}")))
    assert broken.find("svg:desc", NS).text == "1 items, 2 in all. The largest is да with 2."


def test_two_charts_on_one_page_have_distinct_ids():
    first, second = bars_svg([("a", 1)], title="A"), bars_svg([("a", 2)], title="A")
    assert parse(first).get("id") != parse(second).get("id")
    assert parse(bars_svg([("a", 1)], title="A", id_prefix="stance mix")).get("id") == "stance-mix"
