"""Reading digest reports: who may see and ask for them, the lists, a report's files, and its checkpoint."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from comments.digests.models import DigestFile, DigestReport
from comments.models import Receipt
from config.errors import NotFound
from consult.models import CommissionMembership, Consultation
from consult.selectors import can_act_for_commission
from drafts.selectors import is_draft_admin


def digest_can_request(*, user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> bool:
    """The one rule of who asks for, publishes and retries a consultation's reports, and reads the unpublished
    ones: its commission's members and the platform's administrators."""
    return bool(user.is_authenticated) and (is_draft_admin(user=user) or can_act_for_commission(user=user, consultation=consultation))


def _files_without_data() -> Prefetch:
    return Prefetch("files", queryset=DigestFile.objects.defer("data").order_by("format"))


def digest_list(*, consultation: Consultation | None = None, user: AbstractBaseUser | AnonymousUser) -> QuerySet[DigestReport]:
    """The reports the user may read, newest first: the published ones, and all of a consultation whose
    commission the user sits on (or all, for an administrator). Two queries with their files."""
    at_checkpoint = Receipt.objects.filter(consultation_id=OuterRef("consultation_id"), sequence=OuterRef("chain_length")).values("chain_hash")[:1]
    reports = (
        DigestReport.objects.select_related("consultation", "document", "version__document")
        .prefetch_related(_files_without_data())
        .annotate(hash_at_checkpoint=Subquery(at_checkpoint))
    )
    if consultation is not None:
        reports = reports.filter(consultation=consultation)
    if is_draft_admin(user=user):
        return reports.order_by("-id")
    if user.is_authenticated:
        member_of = CommissionMembership.objects.filter(user=user).values("consultation_id")
        return reports.filter(Q(is_public=True) | Q(consultation__in=member_of)).order_by("-id")
    return reports.filter(is_public=True).order_by("-id")


def digest_get(*, report_id: int, user: AbstractBaseUser | AnonymousUser, consultation: Consultation | None = None) -> DigestReport:
    """One report the user may read; NotFound (404) for one that is not there, in another consultation, or
    unpublished and not the user's to see (its existence is not disclosed)."""
    report = digest_list(consultation=consultation, user=user).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("There is no report %(id)s.") % {"id": report_id}, code="report_not_found")
    return report


def digest_file_get(*, report: DigestReport, format: str) -> DigestFile:
    file = DigestFile.objects.filter(report=report, format=format).first()
    if file is None:
        raise NotFound(_("This report has no %(format)s file.") % {"format": format}, code="report_file_not_found")
    return file


def checkpoint_holds(*, report: DigestReport) -> bool | None:
    """Whether the consultation's receipt chain still extends the report's checkpoint: the receipt at
    sequence == chain_length has chain_hash == chain_head (an empty chain's checkpoint holds trivially).
    None for a report not built yet. The whole chain's integrity up to that point is what the chain's
    own verification (comments.chain.selectors) checks; this is the checkpoint's own, one-query check."""
    if report.chain_length is None:
        return None
    if report.chain_length == 0:
        return True
    if hasattr(report, "hash_at_checkpoint"):  # read with the report by digest_list
        return report.hash_at_checkpoint == report.chain_head
    stored = (
        Receipt.objects.filter(consultation_id=report.consultation_id, sequence=report.chain_length)
        .values_list("chain_hash", flat=True)
        .first()
    )
    return stored == report.chain_head


def digest_checkpoints(*, consultation: Consultation) -> list[tuple[DigestReport, bool]]:
    """The checkpoints of the consultation's published, built reports, newest first, each with whether it holds.
    Two queries: the reports, and the receipts at their lengths."""
    reports = list(
        DigestReport.objects.filter(consultation=consultation, is_public=True, chain_length__isnull=False)
        .only("id", "kind", "consultation_id", "chain_length", "chain_head", "built_at", "period_start", "period_end", "version_id")
        .order_by("-id")
    )
    lengths = {r.chain_length for r in reports}
    hashes = dict(
        Receipt.objects.filter(consultation=consultation, sequence__in=lengths).values_list("sequence", "chain_hash")
    )
    return [(r, r.chain_length == 0 or hashes.get(r.chain_length) == r.chain_head) for r in reports]
