"""The daily digest e-mail: one to each commission member with a verified address, written to the outbox in the
transaction that finishes the daily report (comments.digests.services.digest_build), so that a build retried or
delivered twice writes nothing twice. Each e-mail's outbox key, "digest:<report>:user:<user>", makes it so anyway.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from comments.digests.models import DigestReport
from comments.models import Comment, Concern
from comments.notifications.selectors import interface_language, verified_addresses
from comments.notifications.services import outbox_emails_add, site_url
from consult.models import CommissionMembership, ProvisionFollow


@dataclass(frozen=True)
class DailyFigures:
    comments_that_day: int
    comments_total: int  # published comments up to the end of the day
    accounted_share: float | None  # share of the comments owed an answer that are accounted for, None when there are none
    concerns_decided: int  # concerns decided within the day


def digest_email_key(*, report_id: int, user_id: int) -> str:
    return f"digest:{report_id}:user:{user_id}"


def daily_figures(*, report: DigestReport, content: dict) -> DailyFigures:
    """The headline figures of a daily report: two from its content, two counted here (two queries)."""
    comments = Comment.objects.filter(consultation_id=report.consultation_id, is_official=False, status=Comment.Status.PUBLISHED)
    decided = Concern.objects.filter(consultation_id=report.consultation_id, merged_into__isnull=True, decided_at__isnull=False)
    if report.period_end is not None:
        comments = comments.filter(created_at__lt=report.period_end)
        decided = decided.filter(decided_at__lt=report.period_end)
    if report.period_start is not None:
        decided = decided.filter(decided_at__gte=report.period_start)
    return DailyFigures(
        comments_that_day=content["totals"]["published"],
        comments_total=comments.count(),
        accounted_share=content["accounted_for"]["share"],
        concerns_decided=decided.count(),
    )


def member_languages(*, user_ids) -> dict[int, str]:
    """Each user's interface language as far as we know it: the language of their latest comment, else the one they
    last followed a provision in, else the site's default. One query."""
    latest_comment = Comment.objects.filter(author_id=OuterRef("pk")).order_by("-id").values("language")[:1]
    latest_follow = ProvisionFollow.objects.filter(user_id=OuterRef("pk")).exclude(language="").order_by("-id").values("language")[:1]
    rows = (
        get_user_model().objects.filter(pk__in=list(user_ids))
        .annotate(comment_language=Subquery(latest_comment), follow_language=Subquery(latest_follow))
        .values_list("pk", "comment_language", "follow_language")
    )
    return {pk: interface_language(comment_language or follow_language) for pk, comment_language, follow_language in rows}


def digest_daily_emails_add(*, report: DigestReport, content: dict, formats: set[str]) -> int:
    """Write the daily digest e-mail of `report` (DONE, in the caller's transaction) for each member of its consultation's
    commission with a verified address, in their language; the number written (0 for e-mails written before)."""
    if report.kind != DigestReport.Kind.DAILY:
        return 0
    member_ids = CommissionMembership.objects.filter(consultation_id=report.consultation_id).values_list("user_id", flat=True)
    addresses = verified_addresses(user_ids=member_ids)
    if not addresses:
        return 0
    figures = daily_figures(report=report, content=content)
    languages = member_languages(user_ids=addresses)
    emails = []
    for user_id, address in sorted(addresses.items()):
        with translation.override(languages.get(user_id, settings.LANGUAGE_CODE)):
            subject, body = daily_message(report=report, figures=figures, formats=formats)
        emails.append((address, subject, body, digest_email_key(report_id=report.pk, user_id=user_id)))
    return outbox_emails_add(emails=emails)


def daily_message(*, report: DigestReport, figures: DailyFigures, formats: set[str]) -> tuple[str, str]:
    """Subject and body of the daily digest e-mail in the active language."""
    slug = report.consultation.slug
    day = date_format(timezone.localtime(report.period_start).date(), "DATE_FORMAT") if report.period_start else ""
    context = {
        "consultation": report.consultation, "day": day, "figures": figures,
        "accounted_percent": round(figures.accounted_share * 100) if figures.accounted_share is not None else None,
        "report_url": site_url(reverse("digest-detail", args=[slug, report.pk])),
        "pdf_url": site_url(reverse("digest-download", args=[slug, report.pk, "pdf"])) if "pdf" in formats else "",
        "reports_url": site_url(reverse("digest-list", args=[slug])),
    }
    subject = _("%(consultation)s: daily digest of %(day)s") % {"consultation": report.consultation.local_title, "day": day}
    return subject[:300], render_to_string("comments/emails/digest_daily.txt", context)
