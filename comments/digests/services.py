"""Digest reports: asking for one (idempotent: the same inputs give one report), building it under the
rule of config.jobs, publishing it.

Who may ask: the system (the schedule: daily digests, the version report when a comment phase closes;
`requested_by=None`) and, for an on-demand report, a member of the consultation's commission or an
administrator (`digest_can_request`). The build is queued after commit by name
(comments.tasks.digest_build), never imported here.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
from contextlib import contextmanager

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.chain.selectors import chain_head
from comments.digests.emails import digest_daily_emails_add
from comments.digests.models import DigestFile, DigestReport
from comments.digests.selectors import digest_can_request
from comments.models import Comment, ConcernEvent
from config import jobs
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult.models import Consultation
from drafts.models import Document, DraftVersion

logger = logging.getLogger(__name__)

Kind = DigestReport.Kind


def digest_request(
    *,
    consultation: Consultation,
    kind: str,
    requested_by: AbstractBaseUser | None = None,
    document: Document | None = None,
    version: DraftVersion | None = None,
    period_start: datetime.datetime | None = None,
    period_end: datetime.datetime | None = None,
) -> DigestReport:
    """The report for these inputs: the existing one if the same inputs were asked for before (whatever its
    state), else a new one, queued for a worker after commit.

    Idempotent also when two callers race: the unique constraint on (consultation, inputs_hash) lets one
    insert win and the other read it. Raises ApplicationError (400) on bad parameters and PermissionDenied
    (403) when `requested_by` may not ask for reports of this consultation; nothing is saved then.
    """
    if requested_by is not None and not digest_can_request(user=requested_by, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation or an administrator can ask for a report."), code="not_commission")
    _check_parameters(consultation=consultation, kind=kind, document=document, version=version, period_start=period_start, period_end=period_end)
    if version is not None:
        document = version.document
    inputs_hash = digest_inputs_hash(
        consultation=consultation, kind=kind, document=document, version=version, period_start=period_start, period_end=period_end
    )
    with transaction.atomic():
        report, created = DigestReport.objects.get_or_create(
            consultation=consultation, inputs_hash=inputs_hash,
            defaults={
                "kind": kind, "document": document, "version": version, "period_start": period_start, "period_end": period_end,
                "requested_by": requested_by, "is_public": kind == Kind.VERSION,
            },
        )
        if created:
            jobs.job_enqueue(report)
    return report


def _check_parameters(*, consultation, kind, document, version, period_start, period_end) -> None:
    fields: dict[str, list[str]] = {}
    if kind not in Kind.values:
        fields["kind"] = [_("Choose a kind of report.")]
    if kind == Kind.VERSION and version is None:
        fields["version"] = [_("A version report needs the version whose comment phase closed.")]
    linked = set(consultation.document_links.values_list("document_id", flat=True))
    if version is not None and version.document_id not in linked:
        fields["version"] = [_("This version belongs to a document of another consultation.")]
    if document is not None and document.pk not in linked:
        fields["document"] = [_("This document is not part of this consultation.")]
    if version is not None and document is not None and version.document_id != document.pk:
        fields["version"] = [_("This version is not a version of the chosen document.")]
    if (period_start is None) != (period_end is None) and kind == Kind.DAILY:
        fields["period_end"] = [_("A daily digest needs the start and the end of its day.")]
    if period_start is not None and period_end is not None and period_start >= period_end:
        fields["period_end"] = [_("The end of the period must come after its start.")]
    if fields:
        raise ApplicationError(_("The report cannot be requested as it stands."), fields=fields, code="invalid_report")


def digest_inputs_hash(*, consultation, kind, document=None, version=None, period_start=None, period_end=None) -> str:
    """SHA-256 of the canonical JSON of the kind, the parameters and the state of the data within the period
    (the latest comment, the latest concern event, the chain's length): what the report would be built from."""
    comments = Comment.objects.filter(consultation=consultation)
    events = ConcernEvent.objects.filter(concern__consultation=consultation)
    if period_end is not None:
        comments = comments.filter(created_at__lt=period_end)
        events = events.filter(created_at__lt=period_end)
    state = {
        "latest_comment": comments.aggregate(latest=Max("id"))["latest"],
        "latest_concern_event": events.aggregate(latest=Max("id"))["latest"],
        "chain_length": chain_head(consultation=consultation).length if period_end is None else None,
    }
    inputs = {
        "kind": kind,
        "consultation": consultation.pk,
        "document": document.pk if document else None,
        "version": version.pk if version else None,
        "period_start": period_start.isoformat() if period_start else None,
        "period_end": period_end.isoformat() if period_end else None,
        "state": state,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def digest_build(*, report_id: int) -> DigestReport | None:
    """Build a report and store its files and checkpoint, if config.jobs lets this caller claim it.

    A done or failed report, or one a live worker holds, is returned untouched (a message delivered twice
    builds nothing twice). Transient errors (the database, the network) go back to the queue with a
    backoff, a bounded number of times; anything else ends the report FAILED with its error shown. The
    files are written in the transaction that finishes the job, so a taken-over attempt writes nothing.
    """
    from comments.digests.content import report_content
    from comments.digests.render import report_files

    claimed = jobs.job_claim(DigestReport, job_id=report_id)
    if claimed is None:
        return DigestReport.objects.filter(pk=report_id).first()
    report = DigestReport.objects.select_related("consultation", "document", "version__document").get(pk=claimed.pk)
    try:
        progress = jobs.job_progress_writer(report)
        head = chain_head(consultation=report.consultation)
        built_at = timezone.now()
        with _statement_timeout(settings.DIGEST_STATEMENT_TIMEOUT_MS):
            content = report_content(report=report, progress=lambda share: progress(share * 0.8))
        checkpoint = {"chain_length": head.length, "chain_head": head.head_hash, "built_at": built_at.isoformat()}
        files = report_files(report=report, content=content, checkpoint=checkpoint)
        progress(0.95)
        with transaction.atomic():
            jobs.job_finish(report, chain_length=head.length, chain_head=head.head_hash, built_at=built_at)
            DigestFile.objects.filter(report_id=report.pk).delete()
            DigestFile.objects.bulk_create([
                DigestFile(
                    report_id=report.pk, format=fmt, filename=filename, content_type=content_type,
                    data=data, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                )
                for fmt, filename, content_type, data in files
            ])
            # The daily digest's e-mails commit with the report: a build retried or delivered twice writes none twice.
            digest_daily_emails_add(report=report, content=content, formats={fmt for fmt, *_rest in files})
    except jobs.JobLost:
        logger.warning("Digest report %s was taken over by another worker; this attempt's files are dropped", report_id)
    except SoftTimeLimitExceeded as error:
        jobs.job_fail(report, error=_("The report took longer than its time limit.") + f" ({type(error).__name__})")
        raise
    except Exception as error:
        jobs.job_fail(report, error=error, transient=isinstance(error, (OperationalError, InterfaceError)))
        raise
    return DigestReport.objects.filter(pk=report_id).first()


@contextmanager
def _statement_timeout(milliseconds: int):
    """Bound each query of the report on PostgreSQL (a runaway aggregate fails, as a transient error, instead
    of holding the worker until its time limit). Session-level, so that progress heartbeats commit as they go."""
    if connection.vendor != "postgresql" or not milliseconds:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(int(milliseconds))])
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout TO DEFAULT")
            except Exception:  # a broken connection is dropped by Django anyway
                logger.warning("Could not reset the statement timeout", exc_info=True)


def digest_publish(*, actor: AbstractBaseUser, report_id: int, public: bool) -> DigestReport:
    """The commission publishes a report (everyone may read it) or withdraws it from the public."""
    with transaction.atomic():
        report = DigestReport.objects.select_for_update().select_related("consultation").filter(pk=report_id).first()
        if report is None:
            raise NotFound(_("There is no report %(id)s.") % {"id": report_id}, code="report_not_found")
        if not digest_can_request(user=actor, consultation=report.consultation):
            raise PermissionDenied(_("Only the commission of this consultation or an administrator can publish its reports."), code="not_commission")
        report.is_public = bool(public)
        report.save(update_fields=["is_public"])
    return report


def digest_retry(*, actor: AbstractBaseUser, report_id: int) -> DigestReport:
    """A member or administrator queues a failed report again (409 for a report in any other state)."""
    report = DigestReport.objects.select_related("consultation").filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("There is no report %(id)s.") % {"id": report_id}, code="report_not_found")
    if not digest_can_request(user=actor, consultation=report.consultation):
        raise PermissionDenied(_("Only the commission of this consultation or an administrator can retry its reports."), code="not_commission")
    return jobs.job_retry(DigestReport, job_id=report.pk)
