"""A built report's files: HTML (also the PDF's source), PDF, CSV (a zip of one CSV per table) and JSON.

Pure of the database: the content dict (comments/digests/content.py) and the checkpoint in, bytes out.
The CSV download is one zip holding one file per table (a spreadsheet opens one table per file; the
zip keeps one download per format), each with a UTF-8 byte-order mark for spreadsheet software, and
every cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import importlib
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Sequence

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BODY_START, BODY_END = "<!-- report-body -->", "<!-- /report-body -->"


def report_files(*, report, content: dict, checkpoint: dict) -> list[tuple[str, str, str, bytes]]:
    """(format, filename, content type, bytes) of each file of the report, HTML first."""
    stem = f"{report.consultation.slug}-report-{report.pk}"
    html = report_html(content=content, checkpoint=checkpoint)
    files = [("html", f"{stem}.html", "text/html; charset=utf-8", html.encode())]
    pdf = _optional("comments.digests.pdf")
    if pdf is not None:
        files.append(("pdf", f"{stem}.pdf", "application/pdf", pdf.pdf_from_html(html)))
    files.append(("csv", f"{stem}-tables.zip", "application/zip", report_csv_zip(content=content)))
    document = {"content": content, "checkpoint": checkpoint}
    files.append(("json", f"{stem}.json", "application/json", json.dumps(document, ensure_ascii=False, indent=1).encode()))
    return files


def report_html(*, content: dict, checkpoint: dict) -> str:
    return render_to_string("comments/digests/report.html", {"c": content, "checkpoint": checkpoint, "charts": report_charts(content)})


def report_charts(content: dict) -> dict:
    """Inline SVG charts (comments.digests.charts), or none when that module is not installed: the tables carry the same figures."""
    charts = _optional("comments.digests.charts")
    if charts is None:
        return {}
    drawn = {}
    for name, function, argument in (
        ("heat_maps", "heat_map_svg", None),
        ("trend", "line_chart_svg", content["trend"]),
        ("stances", "bar_chart_svg", content["stances"]),
    ):
        draw = getattr(charts, function, None)
        if draw is None:
            continue
        if name == "heat_maps":
            drawn[name] = [draw(tree) for tree in content["provisions"]]
        else:
            drawn[name] = draw(argument)
    return drawn


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        logger.info("%s is not installed; reports are built without it", module)
        return None


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
