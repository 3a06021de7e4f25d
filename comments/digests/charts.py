"""Charts of the digest reports, drawn on the server as SVG: plain data in, an SVG string out.

Pure (no Django): the report's HTML page inlines the SVG and WeasyPrint draws the same SVG into the
PDF, so one drawing serves the screen, the printer and the screen reader.

- Legible in print and in black and white: shades of grey, never colour alone, and every figure is
  also written as text (the count in each heat-map cell, the value at the end of each bar), so a
  photocopy loses nothing.
- Accessible: the root is `role="img"` with an `aria-label` (the title) and a `<desc>` that says
  what the chart shows in one or two sentences (totals and the largest item); each cell, bar and
  column has its own `<title>` (a tooltip on screen) with its label and number.
- Safe: every label is escaped (xml.sax.saxutils) and stripped of characters XML cannot hold, so a
  provision or campaign label can neither break the markup nor inject any.
- Scales: a `viewBox` and `width:100%;height:auto;max-width:<natural width>`, so it shrinks to a phone's
  width and fills the printed page's width. No width/height attributes: with them WeasyPrint (70) draws
  a chart whose CSS width differs from the attribute in a square box.
- Bounded: the heat map wraps a section's articles over rows of fixed cells; the trend groups
  days into weeks or months when there are too many to draw as columns.

The fixed words ("No comments yet", the legend, the descriptions) are English by default; pass
`translate=gettext` to have them in the interface language. They are marked with `gettext_noop`
below so that `makemessages` collects them into the catalogues; a translation that lost one of
the `{placeholders}` falls back to the English sentence rather than failing the report.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from xml.sax.saxutils import escape


def gettext_noop(message: str) -> str:
    """Marks a string for makemessages without translating it (this module imports no Django)."""
    return message


TEXT = {
    "empty": gettext_noop("No comments yet"),
    "heatmap_legend": gettext_noop("Comments per article:"),
    "heatmap_desc": gettext_noop(
        "Comments per provision over the document's structure: {sections} sections, {articles} articles, "
        "{total} comments in all. The most commented is {top} with {count}."
    ),
    "section_total": gettext_noop("Total: {total}"),
    "bars_desc": gettext_noop("{items} items, {total} in all. The largest is {top} with {count}."),
    "trend_desc_day": gettext_noop(
        "Comments per day from {start} to {end}, {total} in all. The busiest day was {top} with {count}."
    ),
    "trend_desc_week": gettext_noop(
        "Comments per week (weeks from Monday) from {start} to {end}, {total} in all. "
        "The busiest week began on {top} with {count}."
    ),
    "trend_desc_month": gettext_noop(
        "Comments per month from {start} to {end}, {total} in all. The busiest month was {top} with {count}."
    ),
    "trend_axis_day": gettext_noop("Comments per day"),
    "trend_axis_week": gettext_noop("Comments per week (weeks from Monday)"),
    "trend_axis_month": gettext_noop("Comments per month"),
}

FONT_FAMILY = "'DejaVu Sans', 'Noto Sans', 'Liberation Sans', Arial, sans-serif"
WIDTH = 720
PAD = 8
TITLE_H = 30
# Light to dark; the text on the three darkest is white. Distinguishable on a black-and-white printer.
GREYS = ("#ebebeb", "#c4c4c4", "#969696", "#636363", "#2e2e2e")
BAR_FILL = "#595959"
# Above this many columns the trend groups days into weeks, then weeks into months.
TREND_MAX_COLUMNS = 120

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")


# --- text helpers -------------------------------------------------------------------------------

def _clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _t(value: object) -> str:
    """Text content, escaped."""
    return escape(_clean(value))


def _a(value: object) -> str:
    """An attribute value, escaped (double quotes too)."""
    return escape(_clean(value), {'"': "&quot;", "\n": "&#10;"})


def _n(x: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _text_width(text: str, size: float) -> float:
    """An estimate of the drawn width (DejaVu Sans averages about 0.6 em for Latin and Cyrillic)."""
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.62) for ch in text)


def _fit(text: str, max_width: float, size: float) -> str:
    """`text` cut with an ellipsis to fit `max_width` (the full text goes in a <title>)."""
    text = _clean(text).strip()
    if _text_width(text, size) <= max_width:
        return text
    while text and _text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def _texts(translate: Callable[[str], str] | None) -> dict[str, str]:
    if translate is None:
        return dict(TEXT)
    return {key: translate(message) for key, message in TEXT.items()}


def _fmt(texts: Mapping[str, str], key: str, **values: object) -> str:
    try:
        return texts[key].format(**values)
    except (KeyError, IndexError, ValueError):
        return TEXT[key].format(**values)


def _count(value: object, what: str) -> float:
    number = float(value)
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise ValueError(f"{what} must be a non-negative number, got {value!r}")
    return number


def _prefix(id_prefix: str | None, kind: str, data: object) -> str:
    if id_prefix:
        return _ID_CHARS.sub("-", id_prefix)
    digest = hashlib.sha1(f"{kind}{data!r}".encode("utf-8", "replace")).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


# --- the frame ----------------------------------------------------------------------------------

def _svg(*, width: float, height: float, title: str, desc: str, pid: str, body: Iterable[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-label="{_a(title)}" '
        f'aria-describedby="{pid}-desc" class="chart" id="{pid}" font-family="{_a(FONT_FAMILY)}" '
        f'style="width:100%;height:auto;max-width:{_n(width)}px">'
        f'<title id="{pid}-title">{_t(title)}</title><desc id="{pid}-desc">{_t(desc)}</desc>'
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>'
        f'<text x="{PAD}" y="20" font-size="15" font-weight="bold" fill="#000000">'
        f'{_t(_fit(title, width - 2 * PAD, 15))}</text>'
    )
    return head + "".join(body) + "</svg>"


def _empty(*, title: str, texts: Mapping[str, str], pid: str) -> str:
    message = texts["empty"]
    body = [
        f'<text x="{WIDTH / 2:g}" y="62" font-size="14" text-anchor="middle" fill="#333333">{_t(message)}</text>'
    ]
    return _svg(width=WIDTH, height=84, title=title, desc=message, pid=pid, body=body)


# --- heat map -----------------------------------------------------------------------------------

HEAT_LABEL_W = 170
HEAT_CELL_W = 50
HEAT_CELL_H = 38
HEAT_GAP = 3


def _grey_bins(maximum: float) -> list[tuple[float, float]]:
    """Five ranges (low, high) of counts from 1 to `maximum`, one per grey; empty ones dropped."""
    bins, low = [], 1.0
    for step in range(1, len(GREYS) + 1):
        high = math.ceil(maximum * step / len(GREYS))
        if high >= low:
            bins.append((low, float(high)))
            low = high + 1
    return bins


def _grey_index(count: float, bins: Sequence[tuple[float, float]]) -> int:
    """The grey of a count: its bin's position mapped onto the five greys (so few bins stay spread)."""
    for position, (_low, high) in enumerate(bins):
        if count <= high:
            return round(position * (len(GREYS) - 1) / max(len(bins) - 1, 1))
    return len(GREYS) - 1


def heatmap_svg(
    tree: Sequence[Mapping[str, object]],
    *,
    title: str,
    translate: Callable[[str], str] | None = None,
    id_prefix: str | None = None,
) -> str:
    """Comments per provision over the document's structure, as a grid: one band per section, one cell per article.

    `tree` is a list of sections `{"label": "Section II", "count": n, "children": [{"label": "Art. 25", "count": n}]}`.
    A section's `count` is its total (its articles' comments and any on the section itself); when absent it is the
    sum of its children. A section without children is drawn as one cell of its own. Each cell is shaded by its
    count (a legend gives the ranges) and shows its label and count; its <title> repeats both in full.
    """
    texts = _texts(translate)
    pid = _prefix(id_prefix, "heatmap", (title, tree))
    sections = []
    for section in tree or ():
        label = _clean(section.get("label", ""))
        children = [
            (_clean(child.get("label", "")), _count(child.get("count", 0), "An article's count"))
            for child in section.get("children") or ()
        ]
        if section.get("count") is None:
            total = sum(count for _label, count in children)
        else:
            total = _count(section["count"], "A section's count")
        sections.append((label, total, children or [(label, total)]))
    grand_total = sum(total for _label, total, _cells in sections)
    if not sections or grand_total == 0:
        return _empty(title=title, texts=texts, pid=pid)

    cells = [(section_label, cell) for section_label, _total, section_cells in sections for cell in section_cells]
    maximum = max(count for _section, (_label, count) in cells)
    top_section, (top_label, top_count) = max(cells, key=lambda item: item[1][1])
    bins = _grey_bins(maximum)
    columns = max(1, (WIDTH - 2 * PAD - HEAT_LABEL_W + HEAT_GAP) // (HEAT_CELL_W + HEAT_GAP))

    body: list[str] = []
    y = TITLE_H + 6
    for index, (label, total, section_cells) in enumerate(sections):
        rows = math.ceil(len(section_cells) / columns)
        if index:
            body.append(f'<line x1="{PAD}" y1="{_n(y - 4)}" x2="{WIDTH - PAD}" y2="{_n(y - 4)}" stroke="#999999" stroke-width="0.5"/>')
        body.append(
            f'<g><title>{_t(label)}: {_num(total)}</title>'
            f'<text x="{PAD}" y="{_n(y + 15)}" font-size="12" font-weight="bold" fill="#000000">'
            f'{_t(_fit(label, HEAT_LABEL_W - 10, 12))}</text>'
            f'<text x="{PAD}" y="{_n(y + 31)}" font-size="11" fill="#333333">'
            f'{_t(_fit(_fmt(texts, "section_total", total=_num(total)), HEAT_LABEL_W - 10, 11))}</text></g>'
        )
        for position, (cell_label, count) in enumerate(section_cells):
            row, column = divmod(position, columns)
            x = PAD + HEAT_LABEL_W + column * (HEAT_CELL_W + HEAT_GAP)
            cy = y + row * (HEAT_CELL_H + HEAT_GAP)
            if count == 0:
                fill, ink, stroke = "#ffffff", "#000000", ' stroke="#8c8c8c" stroke-dasharray="2 2"'
            else:
                grey = _grey_index(count, bins)
                fill, ink, stroke = GREYS[grey], ("#000000" if grey < 2 else "#ffffff"), ""
            name = cell_label if cell_label == label else f"{label} › {cell_label}"
            count_text = _num(count)
            shown_count = count_text if _text_width(count_text, 13) <= HEAT_CELL_W - 4 else ""
            body.append(
                f'<g><title>{_t(name)}: {_t(count_text)}</title>'
                f'<rect x="{_n(x)}" y="{_n(cy)}" width="{HEAT_CELL_W}" height="{HEAT_CELL_H}" fill="{fill}"{stroke}/>'
                f'<text x="{_n(x + HEAT_CELL_W / 2)}" y="{_n(cy + 13)}" font-size="9" text-anchor="middle" fill="{ink}">'
                f'{_t(_fit(cell_label, HEAT_CELL_W - 4, 9))}</text>'
                f'<text x="{_n(x + HEAT_CELL_W / 2)}" y="{_n(cy + 31)}" font-size="13" font-weight="bold" '
                f'text-anchor="middle" fill="{ink}">{_t(shown_count)}</text></g>'
            )
        y += max(rows * (HEAT_CELL_H + HEAT_GAP), 40) + 8

    # Legend: one swatch per range, with the range written beside it.
    y += 4
    legend = texts["heatmap_legend"]
    body.append(f'<text x="{PAD}" y="{_n(y + 11)}" font-size="11" fill="#000000">{_t(legend)}</text>')
    x = PAD + _text_width(legend, 11) + 10
    swatches = [("0", "#ffffff", ' stroke="#8c8c8c" stroke-dasharray="2 2"')]
    outline = ' stroke="#000000" stroke-width="0.5"'
    for position, (low, high) in enumerate(bins):
        grey = round(position * (len(GREYS) - 1) / max(len(bins) - 1, 1))
        swatches.append((_num(low) if low == high else f"{_num(low)}–{_num(high)}", GREYS[grey], ""))
    for text, fill, stroke in swatches:
        width = _text_width(text, 11)
        if x + 18 + width > WIDTH - PAD:
            x, y = PAD, y + 20
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="14" height="14" fill="{fill}"{stroke or outline}/>'
            f'<text x="{_n(x + 18)}" y="{_n(y + 11)}" font-size="11" fill="#000000">{_t(text)}</text>'
        )
        x += 18 + width + 14
    height = y + 14 + PAD

    desc = _fmt(
        texts, "heatmap_desc", sections=len(sections), articles=len(cells), total=_num(grand_total),
        top=top_label if top_label == top_section else f"{top_section} › {top_label}", count=_num(top_count),
    )
    return _svg(width=WIDTH, height=height, title=title, desc=desc, pid=pid, body=body)


# --- horizontal bars ----------------------------------------------------------------------------

BAR_LABEL_W = 220
BAR_VALUE_W = 110
BAR_ROW_H = 26
BAR_H = 18


def bars_svg(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    translate: Callable[[str], str] | None = None,
    id_prefix: str | None = None,
) -> str:
    """Horizontal bars for `[(label, value), ...]` in the given order, each with its value and share of the total."""
    texts = _texts(translate)
    pid = _prefix(id_prefix, "bars", (title, items))
    rows = [(_clean(label), _count(value, "A bar's value")) for label, value in items or ()]
    total = sum(value for _label, value in rows)
    if not rows or total == 0:
        return _empty(title=title, texts=texts, pid=pid)
    maximum = max(value for _label, value in rows)
    span = WIDTH - 2 * PAD - BAR_LABEL_W - BAR_VALUE_W

    body: list[str] = []
    y = TITLE_H + 6
    for label, value in rows:
        share = 100 * value / total
        share_text = "<1%" if 0 < share < 1 else f"{round(share)}%"
        value_text = f"{_num(value)} ({share_text})"
        width = span * value / maximum
        body.append(
            f'<g><title>{_t(label)}: {_t(value_text)}</title>'
            f'<text x="{PAD + BAR_LABEL_W - 8}" y="{_n(y + 13)}" font-size="12" text-anchor="end" fill="#000000">'
            f'{_t(_fit(label, BAR_LABEL_W - 12, 12))}</text>'
            f'<rect x="{PAD + BAR_LABEL_W}" y="{_n(y)}" width="{_n(max(width, 1 if value else 0))}" height="{BAR_H}" '
            f'fill="{BAR_FILL}" stroke="#000000" stroke-width="0.5"/>'
            f'<text x="{_n(PAD + BAR_LABEL_W + width + 6)}" y="{_n(y + 13)}" font-size="12" fill="#000000">'
            f'{_t(value_text)}</text></g>'
        )
        y += BAR_ROW_H
    body.append(
        f'<line x1="{PAD + BAR_LABEL_W}" y1="{TITLE_H + 2}" x2="{PAD + BAR_LABEL_W}" y2="{_n(y)}" stroke="#000000" stroke-width="1"/>'
    )
    top_label, top_value = max(rows, key=lambda row: row[1])
    desc = _fmt(texts, "bars_desc", items=len(rows), total=_num(total), top=top_label, count=_num(top_value))
    return _svg(width=WIDTH, height=y + PAD, title=title, desc=desc, pid=pid, body=body)


# --- trend --------------------------------------------------------------------------------------

TREND_LEFT = 52
TREND_PLOT_H = 200


def _tick_step(maximum: float) -> float:
    """A step of 1, 2 or 5 times a power of ten (at least 1: counts are whole) giving at most five steps to `maximum`."""
    raw = max(maximum / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * power >= raw:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _buckets(points: Sequence[tuple[str, float]]) -> tuple[str, list[tuple[dt.date, float]]]:
    """Counts per day with the days between filled with zeros; per week or per month when days are too many."""
    counts: dict[dt.date, float] = {}
    for day, count in points:
        if isinstance(day, dt.datetime):
            date = day.date()
        elif isinstance(day, dt.date):
            date = day
        else:
            date = dt.date.fromisoformat(str(day)[:10])
        counts[date] = counts.get(date, 0) + _count(count, "A day's count")
    first, last = min(counts), max(counts)
    if (last - first).days + 1 <= TREND_MAX_COLUMNS:
        unit, start, step = "day", first, lambda d: d + dt.timedelta(days=1)
        key = lambda d: d  # noqa: E731
    elif ((last - first).days + first.weekday()) // 7 + 1 <= TREND_MAX_COLUMNS:
        unit, start, step = "week", first - dt.timedelta(days=first.weekday()), lambda d: d + dt.timedelta(days=7)
        key = lambda d: d - dt.timedelta(days=d.weekday())  # noqa: E731
    else:
        unit, start = "month", first.replace(day=1)
        step = lambda d: (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)  # noqa: E731
        key = lambda d: d.replace(day=1)  # noqa: E731
    grouped: dict[dt.date, float] = {}
    for date, count in counts.items():
        grouped[key(date)] = grouped.get(key(date), 0) + count
    series, current = [], start
    while current <= last:
        series.append((current, grouped.get(current, 0)))
        current = step(current)
    return unit, series


def trend_svg(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    translate: Callable[[str], str] | None = None,
    id_prefix: str | None = None,
) -> str:
    """Comments over time as columns for `[(date_iso or date, count), ...]` (any order; missing days count 0).

    Over more than TREND_MAX_COLUMNS days the columns are weeks (from Monday), over more weeks months; the axis
    title says which. Each column has a <title> with its date and count; the values are printed on the columns
    when there is room.
    """
    texts = _texts(translate)
    pid = _prefix(id_prefix, "trend", (title, points))
    if not points or sum(_count(count, "A day's count") for _day, count in points) == 0:
        return _empty(title=title, texts=texts, pid=pid)
    unit, series = _buckets(points)
    total = sum(count for _date, count in series)
    maximum = max(count for _date, count in series)
    tick = _tick_step(maximum)
    ticks = math.ceil(maximum / tick)
    top = tick * ticks

    def label(date: dt.date) -> str:
        return date.strftime("%Y-%m") if unit == "month" else date.isoformat()

    plot_top = TITLE_H + 12
    plot_bottom = plot_top + TREND_PLOT_H
    plot_right = WIDTH - PAD - 4
    plot_w = plot_right - TREND_LEFT
    slot = plot_w / len(series)
    bar_w = max(slot * 0.8, 0.5)

    body: list[str] = []
    for index in range(ticks + 1):
        value = tick * index
        ty = plot_bottom - TREND_PLOT_H * index / ticks
        dash = "" if index == 0 else ' stroke-dasharray="3 3"'
        body.append(
            f'<line x1="{TREND_LEFT}" y1="{_n(ty)}" x2="{_n(plot_right)}" y2="{_n(ty)}" stroke="#bfbfbf" stroke-width="0.5"{dash}/>'
            f'<text x="{TREND_LEFT - 6}" y="{_n(ty + 4)}" font-size="10" text-anchor="end" fill="#000000">{_num(value)}</text>'
        )
    show_values = all(_text_width(_num(count), 9) <= slot for _date, count in series)
    for index, (date, count) in enumerate(series):
        height = TREND_PLOT_H * count / top
        x = TREND_LEFT + index * slot + (slot - bar_w) / 2
        value_text = ""
        if show_values and count:
            value_text = (
                f'<text x="{_n(x + bar_w / 2)}" y="{_n(plot_bottom - height - 3)}" font-size="9" text-anchor="middle" '
                f'fill="#000000">{_num(count)}</text>'
            )
        body.append(
            f'<g><title>{_t(label(date))}: {_num(count)}</title>'
            f'<rect x="{_n(x)}" y="{_n(plot_bottom - height)}" width="{_n(bar_w)}" height="{_n(height)}" fill="{BAR_FILL}"/>'
            f'{value_text}</g>'
        )
    body.append(
        f'<line x1="{TREND_LEFT}" y1="{plot_top}" x2="{TREND_LEFT}" y2="{plot_bottom}" stroke="#000000" stroke-width="1"/>'
        f'<line x1="{TREND_LEFT}" y1="{plot_bottom}" x2="{_n(plot_right)}" y2="{plot_bottom}" stroke="#000000" stroke-width="1"/>'
    )
    # Date labels under evenly spaced columns, always the first and the last, centred on their column
    # but kept inside the chart, and never closer than their width.
    label_width = _text_width(label(series[-1][0]), 10)
    every = max(1, math.ceil((label_width + 10) / slot))
    marks = sorted({*range(0, len(series), every), len(series) - 1})

    def label_x(index: int) -> float:
        x = TREND_LEFT + index * slot + slot / 2
        return min(max(x, label_width / 2 + PAD), WIDTH - PAD - label_width / 2)

    while len(marks) > 2 and label_x(marks[-1]) - label_x(marks[-2]) < label_width + 10:
        marks.pop(-2)
    for index in marks:
        tick_x = TREND_LEFT + index * slot + slot / 2
        body.append(
            f'<line x1="{_n(tick_x)}" y1="{plot_bottom}" x2="{_n(tick_x)}" y2="{plot_bottom + 4}" stroke="#000000" stroke-width="1"/>'
            f'<text x="{_n(label_x(index))}" y="{plot_bottom + 16}" font-size="10" text-anchor="middle" fill="#000000">'
            f'{_t(label(series[index][0]))}</text>'
        )
    axis = texts[f"trend_axis_{unit}"]
    body.append(f'<text x="{TREND_LEFT}" y="{plot_bottom + 34}" font-size="11" fill="#333333">{_t(axis)}</text>')
    busiest_date, busiest = max(series, key=lambda item: item[1])
    desc = _fmt(
        texts, f"trend_desc_{unit}", start=label(series[0][0]), end=label(series[-1][0]), total=_num(total),
        top=label(busiest_date), count=_num(busiest),
    )
    return _svg(width=WIDTH, height=plot_bottom + 34 + PAD + 4, title=title, desc=desc, pid=pid, body=body)
