"""What a digest report says, as a JSON-serialisable dict: built with SQL aggregates only.

Every figure is a COUNT ... GROUP BY computed in the database (PostgreSQL in production, SQLite in
`make run`: no vendor-specific SQL); rows are read only where they are bounded by the document's
structure (its provisions) or by a fixed limit (top concerns, campaigns), never one per comment, so a
report over a million comments takes the memory of one over a hundred.

Scope: the consultation; a document (a version report: the version whose comment phase closed); a
period [period_start, period_end). Comments counted are those the commission owes an answer
(published, not the commission's own replies); the hidden ones are counted apart, as the public record does.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from comments.campaigns.selectors import SHOWN_FROM_SIZE, campaign_list
from comments.concerns.selectors import comments_accounted_for
from comments.concerns.tables import comparative_table
from comments.digests.models import DigestReport
from comments.models import Comment, Concern, CommentStance
from config.errors import ApplicationError
from consult.models import Participant
from drafts.models import Alignment, DraftVersion, Provision, ProvisionText
from drafts.selectors import alignment_get, draft_version_previous

TOP_CONCERNS = 10
DECIDED_SHOWN = 50
CAMPAIGNS_SHOWN = 20
TREE_KINDS = {"preamble", "part", "section", "chapter", "article"}  # paragraphs count into their article


def report_content(*, report: DigestReport, progress: Callable[[float], None] = lambda share: None) -> dict:
    """The figures of `report` (see the module docstring for its scope). About a dozen queries, plus two per version commented on."""
    if report.kind == DigestReport.Kind.VERSION and report.version_id is None:
        raise ApplicationError(_("The version this report was about no longer exists."), code="report_version_gone")
    steps: list[tuple[str, Callable[[DigestReport], object]]] = [
        ("totals", _totals),
        ("trend", _trend),
        ("provisions", _provision_trees),
        ("stances", _stances),
        ("respondents", _respondents),
        ("top_concerns", _top_concerns),
        ("decided", _decided),
        ("accounted_for", _accounted_for),
        ("campaigns", _campaigns),
        ("comparison", _comparison),
    ]
    content: dict = {"report": _parameters(report)}
    for index, (name, step) in enumerate(steps):
        content[name] = step(report)
        progress((index + 1) / len(steps))
    return content


def _parameters(report: DigestReport) -> dict:
    return {
        "id": report.pk,
        "kind": report.kind,
        "kind_label": str(report.get_kind_display()),
        "consultation": {"slug": report.consultation.slug, "title": report.consultation.title},
        "document": {"slug": report.document.slug, "title": report.document.title} if report.document_id else None,
        "version": {"id": report.version.pk, "number": report.version.number, "label": report.version.label} if report.version_id else None,
        "period_start": report.period_start.isoformat() if report.period_start else None,
        "period_end": report.period_end.isoformat() if report.period_end else None,
    }


def report_comments(report: DigestReport, *, status: str | None = Comment.Status.PUBLISHED):
    """The comments in the report's scope (a queryset, never evaluated whole)."""
    comments = Comment.objects.filter(consultation_id=report.consultation_id, is_official=False)
    if status is not None:
        comments = comments.filter(status=status)
    if report.version_id:
        comments = comments.filter(version_id=report.version_id)
    elif report.document_id:
        comments = comments.filter(version__document_id=report.document_id)
    if report.period_start:
        comments = comments.filter(created_at__gte=report.period_start)
    if report.period_end:
        comments = comments.filter(created_at__lt=report.period_end)
    return comments


def _totals(report: DigestReport) -> dict:
    figures = report_comments(report, status=None).aggregate(
        published=Count("id", filter=Q(status=Comment.Status.PUBLISHED)),
        hidden=Count("id", filter=Q(status=Comment.Status.HIDDEN)),
        withdrawn=Count("id", filter=Q(status=Comment.Status.WITHDRAWN)),
        authors=Count("author_id", distinct=True, filter=Q(status=Comment.Status.PUBLISHED)),
        provisions=Count("provision_id", distinct=True, filter=Q(status=Comment.Status.PUBLISHED)),
    )
    return figures


def _trend(report: DigestReport) -> list[dict]:
    rows = report_comments(report).annotate(day=TruncDate("created_at")).values("day").annotate(comments=Count("id")).order_by("day")
    return [{"day": row["day"].isoformat(), "comments": row["comments"]} for row in rows.iterator()]


def _provision_trees(report: DigestReport) -> list[dict]:
    """Per version commented on: its structure down to articles, each node with its own comments and its
    subtree's (a section counts its articles', an article its paragraphs'), in reading order."""
    own_rows = report_comments(report).values("version_id", "provision_id").annotate(comments=Count("id")).order_by()
    by_version: dict[int, dict[int, int]] = {}
    for row in own_rows.iterator():
        by_version.setdefault(row["version_id"], {})[row["provision_id"]] = row["comments"]
    if report.version_id and not by_version:
        by_version[report.version_id] = {}
    versions = DraftVersion.objects.select_related("document").filter(pk__in=by_version).order_by("document__title", "number")
    return [_tree(version, by_version[version.pk]) for version in versions]


def _tree(version: DraftVersion, own: dict[int, int]) -> dict:
    language = version.document.authoritative_language
    rows = list(version.provisions.order_by("order").values_list("id", "parent_id", "kind", "number", "path"))
    headings = dict(
        ProvisionText.objects.filter(provision__version=version, language=language, provision__kind__in=TREE_KINDS)
        .values_list("provision_id", "heading")
    )
    parent_of = {pk: parent for pk, parent, *_ in rows}
    total: dict[int, int] = {}
    for provision_id, count in own.items():
        node = provision_id
        while node is not None:
            total[node] = total.get(node, 0) + count
            node = parent_of.get(node)
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for pk, parent, kind, number, path in rows:
        if kind not in TREE_KINDS:
            continue
        node = {
            "path": path, "kind": kind, "number": number, "heading": headings.get(pk, ""),
            "comments": total.get(pk, 0), "own": own.get(pk, 0), "children": [],
        }
        nodes[pk] = node
        (nodes[parent]["children"] if parent in nodes else roots).append(node)
    return {
        "document": {"slug": version.document.slug, "title": version.document.title},
        "version": {"id": version.pk, "number": version.number, "label": version.label},
        "comments": sum(own.values()),
        "sections": roots,
        "max_article": max((n["comments"] for n in nodes.values() if n["kind"] == Provision.Kind.ARTICLE), default=0),
    }


def _stances(report: DigestReport) -> list[dict]:
    counts = dict(report_comments(report).values("stance").annotate(comments=Count("id")).order_by().values_list("stance", "comments"))
    return [{"stance": value, "label": str(label), "comments": counts.get(value, 0)} for value, label in CommentStance.choices]


def _respondents(report: DigestReport) -> list[dict]:
    rows = report_comments(report).values("submitter_type").annotate(comments=Count("id"), authors=Count("author_id", distinct=True)).order_by()
    found = {row["submitter_type"]: row for row in rows}
    return [
        {"type": value, "label": str(label), "comments": found.get(value, {}).get("comments", 0), "authors": found.get(value, {}).get("authors", 0)}
        for value, label in Participant.SubmitterType.choices
    ]


def _concerns(report: DigestReport):
    concerns = Concern.objects.filter(consultation_id=report.consultation_id, merged_into__isnull=True)
    if report.version_id:
        concerns = concerns.filter(Q(raised_in_id=report.version_id) | Q(resolved_in_id=report.version_id))
    elif report.document_id:
        concerns = concerns.filter(document_id=report.document_id)
    return concerns


def _concern_row(concern: Concern) -> dict:
    return {
        "id": concern.pk, "title": concern.title, "status": concern.status, "status_label": str(concern.get_status_display()),
        "rationale": concern.rationale, "comments": getattr(concern, "comment_count", None),
        "decided_at": concern.decided_at.isoformat() if concern.decided_at else None,
    }


def _top_concerns(report: DigestReport) -> list[dict]:
    concerns = (
        _concerns(report)
        .annotate(comment_count=Count("links", filter=Q(links__comment__status=Comment.Status.PUBLISHED)))
        .order_by("-comment_count", "id")[:TOP_CONCERNS]
    )
    return [_concern_row(concern) for concern in concerns]


def _decided(report: DigestReport) -> dict:
    """The concerns decided since the previous built report of the same kind (else within the period, else all)."""
    previous = (
        DigestReport.objects.filter(consultation_id=report.consultation_id, kind=report.kind, built_at__isnull=False)
        .exclude(pk=report.pk).order_by("-built_at").values_list("built_at", flat=True).first()
    )
    since = previous or report.period_start
    concerns = _concerns(report).filter(decided_at__isnull=False)
    if since:
        concerns = concerns.filter(decided_at__gte=since)
    if report.period_end:
        concerns = concerns.filter(decided_at__lt=report.period_end)
    concerns = concerns.annotate(comment_count=Count("links", filter=Q(links__comment__status=Comment.Status.PUBLISHED)))
    return {
        "since": since.isoformat() if since else None,
        "count": concerns.count(),
        "concerns": [_concern_row(concern) for concern in concerns.order_by("-decided_at", "-id")[:DECIDED_SHOWN]],
    }


def _accounted_for(report: DigestReport) -> dict:
    figure = comments_accounted_for(consultation=report.consultation, document=report.document if report.document_id else None)
    return {"accounted": figure.accounted, "total": figure.total, "share": figure.accounted / figure.total if figure.total else None}


def _campaigns(report: DigestReport) -> dict:
    campaigns = campaign_list(consultation=report.consultation)
    shown = [
        {"id": campaign.pk, "size": campaign.size, "template": (campaign.template_text or "")[:300],
         "first_seen": campaign.first_seen.isoformat(), "last_seen": campaign.last_seen.isoformat()}
        for campaign in campaigns.order_by("-size", "id")[:CAMPAIGNS_SHOWN]
    ]
    return {"shown_from_size": SHOWN_FROM_SIZE, "count": campaigns.count(), "campaigns": shown}


def _comparison(report: DigestReport) -> dict | None:
    """For a version report: the version against its predecessor (figures with their definitions, the comparative table)."""
    if report.kind != DigestReport.Kind.VERSION:
        return None
    previous = draft_version_previous(version=report.version)
    if previous is None:
        return {"previous": None, "state": "no_previous", "figures": None, "table": []}
    alignment = alignment_get(old_version=previous, new_version=report.version)
    state = alignment.status if alignment else "missing"
    if alignment is None or alignment.status != Alignment.Status.DONE:
        return {"previous": {"number": previous.number, "label": previous.label}, "state": state, "figures": None, "table": []}
    return {
        "previous": {"number": previous.number, "label": previous.label},
        "state": state,
        "figures": alignment.figures,
        "table": [asdict(row) for row in comparative_table(alignment=alignment)],
    }
