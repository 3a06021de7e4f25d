"""Sample comments for the demo consultation, so that `make run` shows a living public record."""
from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from comments import services
from comments.concerns import services as concerns
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
    """Add a handful of comments, a reply, an official answer and the commission's decisions on them; a second call adds nothing."""
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
        proposal = services.comment_submit(
            author=citizens[1], provision_id=article.pk, stance="propose_wording", language="en",
            body="Article 19(3) and 21 of the ICCPR list the permissible grounds; the draft should not add new ones.",
            proposed_wording="... to protect national security, public order, public health or morals, or the rights and freedoms of others.",
        )
        agreement = services.comment_submit(
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
        senate = services.comment_submit(
            author=citizens[2], provision_id=_provision(consultation, "IV/30").pk, stance="question", language="en",
            body="Why does the draft abolish the Senate? Who will represent the regions?",
        )
        if chair:
            _demo_concerns(consultation, chair.user, grounds=[first.pk, proposal.pk], agreement=agreement.pk, senate=senate.pk)
    return Comment.objects.filter(consultation=consultation).count()


def _demo_concerns(consultation: Consultation, chair, *, grounds: list[int], agreement: int, senate: int) -> None:
    """The commission's work on the demo's comments: one concern accepted with the ICCPR's grounds, one rejected."""
    grounds_concern = concerns.concern_create(
        actor=chair, consultation_id=consultation.pk, comment_ids=grounds,
        title="Restricting rights on grounds of 'spiritual and moral values'",
        summary="Commenters ask how a court would interpret the ground, and propose the grounds the ICCPR allows instead.",
    )
    concerns.concern_transition(actor=chair, concern_id=grounds_concern.pk, to_status="under_review", reason="Given to the rights working group.")
    concerns.concern_decide(
        actor=chair, concern_id=grounds_concern.pk, status="accepted",
        rationale=(
            "Accepted. The next draft limits the grounds for restricting rights to those ICCPR art. 18(3), 19(3) and 21 "
            "allow: national security, public order, public health or morals, and the rights and freedoms of others."
        ),
        norms=[concerns.NormInput("ICCPR art. 18(3)"), concerns.NormInput("ICCPR art. 19(3)")],
    )
    concerns.comment_mark_no_answer(actor=chair, comment_id=agreement, reason="Agrees with the comment it replies to; answered with it.")
    senate_concern = concerns.concern_create(
        actor=chair, consultation_id=consultation.pk, comment_ids=[senate], title="Keeping the Senate to represent the regions",
    )
    concerns.concern_decide(
        actor=chair, concern_id=senate_concern.pk, status="rejected",
        rationale="Not accepted. A single chamber with regional constituencies represents the regions; see the new Article 30.",
    )


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
