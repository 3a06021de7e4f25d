"""Sample comments for the demo consultation, so that `make run` shows a living public record."""
from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from comments import services
from comments.models import Comment
from consult import services as consult_services
from consult.models import CommissionMembership, Consultation
from drafts.models import Provision

CITIZENS = [
    ("demo-aigerim", "Aigerim S.", "individual", ""),
    ("demo-bar", "Bar Association of Ordabel", "organisation", "Bar Association of Ordabel"),
    ("demo-timur", "Timur", "individual", ""),
]


def demo_comments_load(*, consultation: Consultation) -> int:
    """Add a handful of comments, a reply and an official answer; a second call adds nothing."""
    if Comment.objects.filter(consultation=consultation).exists():
        return 0
    with transaction.atomic():
        citizens = [_citizen(*spec) for spec in CITIZENS]
        article = _provision(consultation, "II/25/1")
        first = services.comment_submit(
            author=citizens[0], provision_id=article.pk, stance="oppose", language="en",
            body="Nobody can say what 'spiritual and moral values' mean in court. Please use the grounds the ICCPR allows.",
            quote=services.QuoteInput(exact="spiritual and moral values", language="en"),
        )
        services.comment_submit(
            author=citizens[1], provision_id=article.pk, stance="propose_wording", language="en",
            body="Article 19(3) and 21 of the ICCPR list the permissible grounds; the draft should not add new ones.",
            proposed_wording="... to protect national security, public order, public health or morals, or the rights and freedoms of others.",
        )
        services.comment_submit(
            author=citizens[2], provision_id=article.pk, parent_id=first.pk, stance="support", language="en",
            body="Agreed. Vague grounds invite arbitrary restrictions.",
        )
        services.comment_endorse(comment_id=first.pk, user=citizens[1])
        chair = CommissionMembership.objects.filter(consultation=consultation, role="chair").select_related("user").first()
        if chair:
            services.comment_submit(
                author=chair.user, provision_id=article.pk, parent_id=first.pk, official=True, stance="question", language="en",
                body="Thank you. The commission has registered this concern and will answer it before draft 2.",
            )
        services.comment_submit(
            author=citizens[2], provision_id=_provision(consultation, "IV/30").pk, stance="question", language="en",
            body="Why does the draft abolish the Senate? Who will represent the regions?",
        )
    return Comment.objects.filter(consultation=consultation).count()


def _citizen(username: str, name: str, submitter_type: str, organisation: str):
    user, _created = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    consult_services.participant_save(user=user, display_name=name, submitter_type=submitter_type, organisation_name=organisation)
    return user


def _provision(consultation: Consultation, path: str) -> Provision:
    return Provision.objects.get(version__document__consultation_links__consultation=consultation,
                                 version__document__slug="constitution", version__number=1, path=path)
