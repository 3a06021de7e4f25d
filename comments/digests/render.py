"""A built report's files: HTML (also the PDF's source), PDF, CSV (a zip of one CSV per table) and JSON.

Pure of the database: the content dict (comments/digests/content.py) and the checkpoint in, bytes out.
The CSV download is one zip holding one file per table (a spreadsheet opens one table per file; the
zip keeps one download per format), each with a UTF-8 byte-order mark for spreadsheet software, and
every cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Sequence

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comments.digests import charts, pdf
from config.spreadsheets import spreadsheet_safe

logger = logging.getLogger(__name__)

BODY_START, BODY_END = "<!-- report-body -->", "<!-- /report-body -->"


def report_files(*, report, content: dict, checkpoint: dict) -> list[tuple[str, str, str, bytes]]:
    """(format, filename, content type, bytes) of each file of the report, HTML first. The PDF is left out,
    with a warning in the log, where WeasyPrint's system libraries are missing (a newcomer's `make run`)."""
    stem = f"{report.consultation.slug}-report-{report.pk}"
    html = report_html(content=content, checkpoint=checkpoint)
    files = [("html", f"{stem}.html", "text/html; charset=utf-8", html.encode())]
    try:
        files.append(("pdf", f"{stem}.pdf", "application/pdf", pdf.pdf_from_html(html)))
    except pdf.PdfUnavailable as error:
        logger.warning("Report %s is built without its PDF: %s", report.pk, error)
    files.append(("csv", f"{stem}-tables.zip", "application/zip", report_csv_zip(content=content)))
    document = {"content": content, "checkpoint": checkpoint}
    files.append(("json", f"{stem}.json", "application/json", json.dumps(document, ensure_ascii=False, indent=1).encode()))
    return files


def report_html(*, content: dict, checkpoint: dict) -> str:
    drawn = report_charts(content)
    context = {"c": content, "checkpoint": checkpoint, "charts": drawn, "provisions": list(zip(content["provisions"], drawn["heat_maps"])),
               "language": get_language() or "en"}
    return render_to_string("comments/digests/report.html", context)


def report_charts(content: dict) -> dict:
    """The report's charts as inline SVG (comments.digests.charts): a heat map per version commented on, the
    trend, the stance mix. The tables below them carry the same figures, for screen readers and spreadsheets."""
    return {
        "heat_maps": [
            charts.heatmap_svg(
                heat_map_sections(tree),
                title=_("Comments per article: %(document)s, %(version)s") % {"document": tree["document"]["title"], "version": tree["version"]["label"]},
                translate=_, id_prefix=f"heat-{tree['version']['id']}",
            )
            for tree in content["provisions"]
        ],
        "trend": charts.trend_svg([(row["day"], row["comments"]) for row in content["trend"]], title=_("Comments per day"), translate=_),
        "stances": charts.bars_svg([(row["label"], row["comments"]) for row in content["stances"]], title=_("Stances"), translate=_),
        "respondents": charts.bars_svg([(row["label"], row["comments"]) for row in content["respondents"]], title=_("Respondents"), translate=_),
    }


def heat_map_sections(tree: dict) -> list[dict]:
    """The content's provision tree as the heat map takes it: each top-level node a band, every article below it a cell."""

    def articles(node: dict) -> list[dict]:
        found = []
        for child in node["children"]:
            if child["kind"] == "article":
                found.append({"label": _("Art. %(number)s") % {"number": child["number"] or child["path"]}, "count": child["comments"]})
            else:
                found.extend(articles(child))
        return found

    return [{"label": _node_label(node), "count": node["comments"], "children": articles(node)} for node in tree["sections"]]


def _node_label(node: dict) -> str:
    if node["kind"] == "article":
        return _("Art. %(number)s") % {"number": node["number"] or node["path"]}
    label = f"{node['number'] or node['path']}"
    return f"{label} {node['heading']}".strip() if node["heading"] else label


def _csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _walk(nodes: list[dict], depth: int = 0) -> Iterable[tuple[int, dict]]:
    for node in nodes:
        yield depth, node
        yield from _walk(node["children"], depth + 1)


def report_tables(*, content: dict) -> dict[str, bytes]:
    """Each table of the report as one CSV, by file name."""
    tables = {
        "totals.csv": _csv([_("Figure"), _("Value")], content["totals"].items()),
        "trend.csv": _csv([_("Day"), _("Comments")], ((row["day"], row["comments"]) for row in content["trend"])),
        "provisions.csv": _csv(
            [_("Document"), _("Version"), _("Provision"), _("Kind"), _("Heading"), _("Comments (with those below)"), _("Comments on it")],
            (
                (tree["document"]["title"], tree["version"]["number"], node["path"], node["kind"], node["heading"], node["comments"], node["own"])
                for tree in content["provisions"] for _depth, node in _walk(tree["sections"])
            ),
        ),
        "stances.csv": _csv([_("Stance"), _("Comments")], ((row["label"], row["comments"]) for row in content["stances"])),
        "respondents.csv": _csv(
            [_("Respondent type"), _("Comments"), _("Authors")], ((row["label"], row["comments"], row["authors"]) for row in content["respondents"])
        ),
        "top_concerns.csv": _csv(
            [_("Concern"), _("Title"), _("Status"), _("Comments"), _("Rationale")],
            ((row["id"], row["title"], row["status_label"], row["comments"], row["rationale"]) for row in content["top_concerns"]),
        ),
        "decided.csv": _csv(
            [_("Concern"), _("Title"), _("Status"), _("Decided at"), _("Rationale")],
            ((row["id"], row["title"], row["status_label"], row["decided_at"], row["rationale"]) for row in content["decided"]["concerns"]),
        ),
        "campaigns.csv": _csv(
            [_("Campaign"), _("Comments"), _("First seen"), _("Last seen"), _("Shared text")],
            ((row["id"], row["size"], row["first_seen"], row["last_seen"], row["template"]) for row in content["campaigns"]["campaigns"]),
        ),
    }
    comparison = content.get("comparison")
    if comparison and comparison.get("table"):
        tables["comparative.csv"] = _csv(
            [_("Structural element"), _("Old wording"), _("New wording"), _("Concerns addressed"), _("Rationale")],
            ((row["element"], row["old_wording"], row["new_wording"], row["concerns"], row["rationale"]) for row in comparison["table"]),
        )
    return tables


def report_csv_zip(*, content: dict) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in report_tables(content=content).items():
            archive.writestr(name, data)
    return output.getvalue()


def report_html_body(html: bytes | str) -> str:
    """The body of a stored HTML report (between its markers), to show inline on the report's page."""
    text = html.decode() if isinstance(html, bytes) else html
    start, end = text.find(BODY_START), text.find(BODY_END)
    return text[start + len(BODY_START):end] if start >= 0 and end > start else ""
