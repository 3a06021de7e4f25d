"""Sample comments for the demo consultation, and the commission's work on them, so that `make run` shows a living public record.

The story (issue 9): on draft 1, many people object to restricting rights on grounds of "spiritual and moral
values" (Article 25(1)), among them a campaign of form letters; the commission takes the point up, and in the
next step (demo_next_draft_load) accepts it with the ICCPR's grounds, linked to the changed words of draft 2.
Another concern (keeping the Senate) is rejected with its reasoning. A few comments are left for the
commission's triage, among them a group of similar ones about Article 21 (peaceful assembly for citizens
only), a paragraph draft 2 changes: the browser journey groups them, decides them and links them to it.
"""
from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from comments import services
from comments.campaigns import services as campaigns
from comments.concerns import selectors as concern_selectors
from comments.concerns import services as concerns
from comments.models import Comment, Concern
from consult import services as consult_services
from consult.demo_data import demo_next_draft_publish
from consult.models import CommissionMembership, Consultation
from drafts.models import DraftVersion, Provision, ProvisionChange

# username, display name, submitter type, organisation
CITIZENS = [
    ("demo-aigerim", "Aigerim S.", "individual", ""),
    ("demo-bar", "Bar Association of Ordabel", "organisation", "Bar Association of Ordabel"),
    ("demo-timur", "Timur", "individual", ""),
    ("demo-students", "Law Students' Society", "organisation", "Law Students' Society of Ordabel University"),
    ("demo-ivan", "Ivan S.", "individual", ""),
    ("demo-centre", "Steppe Human Rights Centre", "organisation", "Steppe Human Rights Centre"),
    ("demo-dana", "Dana K.", "individual", ""),
    ("demo-yerlan", "Yerlan Abenov", "individual", ""),
    ("demo-marat", "Marat", "individual", ""),
    ("demo-olga", "Olga P.", "individual", ""),
    ("demo-saule", "Saule N.", "individual", ""),
    ("demo-arman", "Arman B.", "individual", ""),
    ("demo-zhanna", "Zhanna", "individual", ""),
    ("demo-ruslan", "Ruslan T.", "individual", ""),
]

GROUNDS_TITLE = "Restricting rights on grounds of 'spiritual and moral values'"
SENATE_TITLE = "Keeping the Senate to represent the regions"
# The form letter: one text, sent by many, with their names and sentences around it.
FORM_LETTER = (
    "I object to Article 25, paragraph 1 of draft 1. \"Spiritual and moral values\" is not a ground on which international law "
    "allows a state to restrict rights, and no court can say what it means. I ask the Constitutional Commission to allow "
    "restrictions only on the grounds that the International Covenant on Civil and Political Rights permits: national security, "
    "public order, public health or morals, and the rights and freedoms of others."
)
FORM_LETTERS = {  # sender -> the letter as sent
    "demo-dana": FORM_LETTER + "\n\nDana K., Ordabel",
    "demo-yerlan": "As a journalist, I have seen vague words used against newspapers. " + FORM_LETTER,
    "demo-marat": FORM_LETTER,
    "demo-olga": FORM_LETTER + " My grandparents remember what vague 'values' clauses were used for.",
    "demo-saule": FORM_LETTER + "\n\nSaule N.",
    "demo-arman": FORM_LETTER.replace("Commission", "Comission"),
    "demo-zhanna": FORM_LETTER + " Please also publish how many people wrote this.",
    "demo-ruslan": "Dear Commission, " + FORM_LETTER + " Thank you.",
}
# Similar comments on Article 21(1), left for triage: each proposes the same wording, with its own reason.
ASSEMBLY_WORDING = (
    "Everyone has the right to assemble peacefully and without weapons, and to hold meetings, rallies, demonstrations, "
    "street processions and pickets, having notified the local executive body in advance."
)
ASSEMBLY_COMMENTS = {
    "demo-aigerim": "Not only citizens: everyone, as ICCPR article 21 says.",
    "demo-students": "Foreign students in Ordabel should be able to assemble too.",
    "demo-centre": "Why citizens only? Stateless people live here too.",
    "demo-olga": "Residents who are not citizens pay taxes here too.",
}
GROUNDS_RATIONALE = (
    "Accepted. Draft 2 allows a law to restrict rights only on the grounds that ICCPR art. 18(3), 19(3), 21 and 22(2) "
    "allow: national security, public order, public health or morals, and the rights and freedoms of others, and only "
    "to the extent necessary in a democratic society. \"Spiritual and moral values\" is not one of those grounds, and "
    "its meaning would have been left to each court; as the UN Human Rights Committee notes (General Comment No. 22, "
    "para. 8), a limitation to protect morals must rest on principles not deriving exclusively from a single tradition. "
    "Article 25(1) of draft 2 no longer contains the phrase."
)
ICCPR_URL = "https://www.ohchr.org/en/instruments-mechanisms/instruments/international-covenant-civil-and-political-rights"
GROUNDS_NORMS = [
    concerns.NormInput("ICCPR art. 18(3)", ICCPR_URL),
    concerns.NormInput("ICCPR art. 19(3)", ICCPR_URL),
    concerns.NormInput("UN Human Rights Committee, General Comment No. 22, para. 8"),
]


def demo_comments_load(*, consultation: Consultation) -> int:
    """Comments of many people on draft 1, a campaign of form letters, a reply, an official answer, and the commission's
    work on them: the grounds concern under review, the Senate concern rejected, some comments left for triage.
    Returns how many comments the consultation has; a second call adds nothing."""
    if Comment.objects.filter(consultation=consultation).exists():
        return 0
    with transaction.atomic():
        people = {spec[0]: _citizen(*spec) for spec in CITIZENS}
        grounds = _provision(consultation, "II/25/1")
        first = services.comment_submit(
            author=people["demo-aigerim"], provision_id=grounds.pk, stance="oppose", language="en",
            body="Nobody can say what 'spiritual and moral values' mean in court. Please use the grounds the ICCPR allows.",
            quote=services.QuoteInput(exact="spiritual and moral values", language="en"),
        )
        proposal = services.comment_submit(
            author=people["demo-bar"], provision_id=grounds.pk, stance="propose_wording", language="en",
            body="Article 19(3) and 21 of the ICCPR list the permissible grounds; the draft should not add new ones.",
            proposed_wording="... to protect national security, public order, public health or morals, or the rights and freedoms of others.",
        )
        agreement = services.comment_submit(
            author=people["demo-timur"], provision_id=grounds.pk, parent_id=first.pk, stance="support", language="en",
            body="Agreed. Vague grounds invite arbitrary restrictions.",
        )
        services.comment_endorse(comment_id=first.pk, user=people["demo-bar"])
        more_grounds = [
            services.comment_submit(
                author=people["demo-ivan"], provision_id=grounds.pk, stance="oppose", language="ru",
                body="Понятие «духовно-нравственные ценности» не определено ни одним законом. Суды будут толковать его каждый по-своему.",
                quote=services.QuoteInput(exact="духовно-нравственных ценностей", language="ru"),
            ),
            services.comment_submit(
                author=people["demo-centre"], provision_id=grounds.pk, stance="oppose", language="en",
                body=("The UN Human Rights Committee (General Comment No. 22, para. 8) says that limitations to protect morals must be "
                      "based on principles not deriving exclusively from a single tradition. \"Spiritual and moral values\" invites exactly that."),
            ),
            services.comment_submit(
                author=people["demo-students"], provision_id=grounds.pk, stance="propose_wording", language="en",
                body="Add \"necessary in a democratic society\", the test the international courts apply to every restriction.",
                proposed_wording=(
                    "The rights and freedoms of the person and citizen may be restricted by law only to the extent necessary in a "
                    "democratic society to protect national security, public order, public health or morals, or the rights and freedoms of others."
                ),
            ),
        ]
        letters = [
            services.comment_submit(author=people[sender], provision_id=grounds.pk, stance="oppose", language="en", body=letter)
            for sender, letter in FORM_LETTERS.items()
        ]
        chair = CommissionMembership.objects.filter(consultation=consultation, role="chair").select_related("user").first()
        if chair:
            services.comment_submit(
                author=chair.user, provision_id=grounds.pk, parent_id=first.pk, official=True, stance="", language="en",
                body="Thank you. The commission has registered this concern and will answer it before draft 2.",
            )
        senate = services.comment_submit(
            author=people["demo-timur"], provision_id=_provision(consultation, "IV/30").pk, stance="question", language="en",
            body="Why does the draft abolish the Senate? Who will represent the regions?",
        )
        assembly = _provision(consultation, "II/21/1")
        for author, body in ASSEMBLY_COMMENTS.items():
            services.comment_submit(
                author=people[author], provision_id=assembly.pk, stance="propose_wording", language="en", body=body,
                proposed_wording=ASSEMBLY_WORDING,
            )
        services.comment_submit(
            author=people["demo-timur"], provision_id=_provision(consultation, "I/9/3").pk, stance="question", language="en",
            body="Does the ban on foreign military bases also cover joint exercises with foreign troops on our territory?",
        )
        services.comment_submit(
            author=people["demo-ivan"], provision_id=_provision(consultation, "I/7/2").pk, stance="question", language="ru",
            body="Прошу уточнить, на каком языке суд рассматривает дело, если сторона не владеет тарванским языком.",
        )
        if chair:
            _demo_concerns(
                consultation, chair.user, grounds=[first.pk, proposal.pk, *(c.pk for c in more_grounds)],
                letters=[c.pk for c in letters], agreement=agreement.pk, senate=senate.pk,
            )
    # The campaign is found after commit by a worker (in-process under `make run`); found here too, so that it is there without one.
    campaigns.campaigns_sweep()
    return Comment.objects.filter(consultation=consultation).count()


def _demo_concerns(consultation: Consultation, chair, *, grounds: list[int], letters: list[int], agreement: int, senate: int) -> None:
    """The commission's work on draft 1's comments: the grounds concern taken up (decided with draft 2), the Senate one rejected."""
    grounds_concern = concerns.concern_create(
        actor=chair, consultation_id=consultation.pk, comment_ids=grounds, title=GROUNDS_TITLE,
        summary="Commenters ask how a court would interpret the ground, and propose the grounds the ICCPR allows instead.",
    )
    concerns.concern_comments_add(actor=chair, concern_id=grounds_concern.pk, comment_ids=letters)  # the form letters make the same point
    concerns.concern_assign(actor=chair, concern_id=grounds_concern.pk, reviewer=chair)
    concerns.concern_transition(actor=chair, concern_id=grounds_concern.pk, to_status="under_review", reason="Given to the rights working group.")
    concerns.comment_mark_no_answer(actor=chair, comment_id=agreement, reason="Agrees with the comment it replies to; answered with it.")
    senate_concern = concerns.concern_create(actor=chair, consultation_id=consultation.pk, comment_ids=[senate], title=SENATE_TITLE)
    concerns.concern_decide(
        actor=chair, concern_id=senate_concern.pk, status="rejected",
        rationale=(
            "Not accepted. A single chamber represents the regions through its deputies, and the People's Council (Articles 34 and 35), "
            "whose members are delegated by local councils among others, gives them a voice in the preparation of laws."
        ),
    )


def demo_next_draft_load(*, consultation: Consultation) -> DraftVersion:
    """The commission's next step: draft 2 published (consult.demo_data.demo_next_draft_publish) and the grounds concern
    accepted, resolved in draft 2 and linked to the changes of Article 25 that carry it. A second call changes nothing."""
    draft_2 = demo_next_draft_publish(consultation=consultation)
    concern = Concern.objects.filter(consultation=consultation, title=GROUNDS_TITLE).select_related("reviewer").first()
    if concern is not None and not concern.is_decided and concern.reviewer is not None:
        concerns.concern_decide(
            actor=concern.reviewer, concern_id=concern.pk, status="accepted", rationale=GROUNDS_RATIONALE,
            resolved_in_id=draft_2.pk, change_ids=[change.pk for change in _changed_words(concern, draft_2)], norms=GROUNDS_NORMS,
        )
    return draft_2


def _changed_words(concern: Concern, version: DraftVersion) -> list[ProvisionChange]:
    """What the decision form offers the reviewer (the changes of the concern's provisions), those that changed words."""
    return [
        change for change in concern_selectors.concern_change_suggestions(concern=concern, version=version)
        if change.kind != ProvisionChange.Kind.UNCHANGED
    ]


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
