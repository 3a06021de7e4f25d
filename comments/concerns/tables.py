"""The two tables drafting commissions publish, as data: the summary of comments and the comparative table.

- Summary table: structural element | author (or organisation) | comment | decision | reasoning — every
  comment owed an answer, with the decision of the concern(s) behind it, or the reason it needed none;
  a campaign is one row (its template, "campaign of N comments"), shown where its first comment stands.
- Comparative table: structural element | old wording | new wording | concerns addressed | rationale — every
  article that changed between two versions, with the concerns whose decisions those changes carry.

Rendering (HTML, CSV, .docx) is separate: comments/concerns/exports.py and the templates.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.concerns.selectors import comments_answerable
from comments.models import Comment, Concern
from consult.models import Consultation
from drafts.models import Alignment, ProvisionChange
from drafts.selectors import comparison_changes, comparison_rows

SUMMARY_COLUMNS = ("element", "author", "receipt", "comment", "decision", "reasoning")
COMPARATIVE_COLUMNS = ("element", "old_wording", "new_wording", "concerns", "rationale")


@dataclass(frozen=True)
class SummaryRow:
    element: str
    author: str
    receipt: str
    comment: str
    decision: str
    reasoning: str


@dataclass(frozen=True)
class ComparativeRow:
    element: str
    old_wording: str
    new_wording: str
    concerns: str
    rationale: str


def summary_table(*, consultation: Consultation, within: QuerySet[Comment] | None = None) -> Iterator[SummaryRow]:
    """One row per comment owed an answer, in reading order of the record (by id). Three queries per 2,000 comments."""
    return summary_rows(comments=summary_row_heads(consultation=consultation, within=within).iterator(chunk_size=2000))


def summary_row_heads(*, consultation: Consultation, within: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """The comments that head a row of the summary table, in its order (by id), with what their rows need: every
    comment owed an answer, except a campaign's members after its first (a campaign is one point with its number
    of supporters, shown once, where its first comment stands). A page of them is a page of the table.

    `within` (the consultation's comments, filtered as the comment list filters them) keeps the table to those
    comments; a campaign's row then stands where its first comment among them stands."""
    answerable = comments_answerable(consultation=consultation)
    if within is not None:
        answerable = answerable.filter(pk__in=within.values("pk"))
    earlier_member = answerable.filter(fingerprint__campaign=OuterRef("fingerprint__campaign"), id__lt=OuterRef("id"))
    return (
        answerable
        .exclude(Exists(earlier_member))
        .select_related("provision", "version", "receipt", "no_answer", "fingerprint__campaign__template_comment")
        .prefetch_related(Prefetch("concerns", queryset=Concern.objects.order_by("id")))
        .order_by("id")
    )


def summary_rows(*, comments: Iterable[Comment]) -> Iterator[SummaryRow]:
    """The summary table's rows of these comments (summary_row_heads, or a page of them)."""
    for comment in comments:
        campaign = _campaign_of(comment)
        concerns = list(comment.concerns.all())
        if concerns:
            decision = "; ".join(f"{concern.title}: {concern.get_status_display()}" for concern in concerns)
            reasoning = "\n".join(concern.rationale for concern in concerns if concern.rationale)
        elif getattr(comment, "no_answer", None) is not None:  # a missing one-to-one raises an AttributeError
            decision, reasoning = _("No separate answer"), comment.no_answer.reason
        else:
            decision, reasoning = _("Not yet answered"), ""
        author, body = comment.organisation_name or comment.author_name, comment.body
        if campaign is not None:
            author = ngettext("Campaign of %(count)d comment", "Campaign of %(count)d comments", campaign.size) % {"count": campaign.size}
            body = campaign.template_text  # the text its comments share, not its first sender's name and greeting
        yield SummaryRow(
            element=f"{comment.version.label}, {comment.provision.path}",
            author=author,
            receipt=comment.receipt.number if getattr(comment, "receipt", None) else "",
            comment=body + (f"\n\n{_('Proposed wording')}: {comment.proposed_wording}" if comment.proposed_wording else ""),
            decision=decision,
            reasoning=reasoning,
        )


def _campaign_of(comment):
    fingerprint = getattr(comment, "fingerprint", None)  # a missing one-to-one raises an AttributeError
    if fingerprint is None or not fingerprint.campaign_id or fingerprint.campaign.size < 2:  # size: its published comments
        return None
    return fingerprint.campaign


def comparative_table(*, alignment: Alignment) -> list[ComparativeRow]:
    """One row per article that changed between the alignment's versions, with the concerns its changes carry."""
    changes = comparison_changes(alignment=alignment).exclude(kind=ProvisionChange.Kind.UNCHANGED)
    rows = comparison_rows(alignment=alignment, changes=changes)
    concerns_by_path = _concerns_by_new_path(alignment)
    table = []
    for row in rows:
        paths = [p.path for p in row.new] or [p.path for p in row.old]
        concerns = [c for path, found in concerns_by_path.items() for c in found if any(path == p or path.startswith(p + "/") for p in paths)]
        concerns = list({concern.pk: concern for concern in concerns}.values())
        table.append(ComparativeRow(
            element=" + ".join(paths) + f" ({row.change.get_kind_display().lower()})",
            old_wording=row.old_text, new_wording=row.new_text,
            concerns="; ".join(f"{c.title} ({c.get_status_display().lower()})" for c in concerns),
            rationale="\n".join(c.rationale for c in concerns if c.rationale),
        ))
    return table


def _concerns_by_new_path(alignment: Alignment) -> dict[str, list[Concern]]:
    """The concerns linked to the alignment's changes, by the paths of those changes' provisions (new, else old)."""
    linked = (
        ProvisionChange.objects.filter(alignment=alignment, concerns__isnull=False)
        .prefetch_related("concerns", "new_provisions", "old_provisions")
        .distinct()
    )
    by_path: dict[str, list[Concern]] = defaultdict(list)
    for change in linked:
        for provision in list(change.new_provisions.all()) or list(change.old_provisions.all()):
            by_path[provision.path].extend(change.concerns.all())
    return by_path
