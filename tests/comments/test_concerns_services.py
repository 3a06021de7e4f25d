"""Concerns: raising, reviewing and deciding them; who may; the audit trail; decisions in the receipt chain."""
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from comments import services
from comments.chain import selectors as chain
from comments.concerns import selectors as concern_selectors
from comments.concerns import services as concerns
from comments.models import Concern, ConcernComment, ConcernEvent, Receipt
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from tests.factories import AdminFactory, ConsultationFactory, MembershipFactory

pytestmark = pytest.mark.django_db
ICCPR = concerns.NormInput("ICCPR art. 18(3)", "https://www.ohchr.org/en/instruments-mechanisms/instruments/international-covenant-civil-and-political-rights")




@pytest.fixture
def concern(member, demo, comments):
    return concerns.concern_create(
        actor=member, consultation_id=demo.pk, title="Restricting rights on 'spiritual and moral values'",
        comment_ids=[c.pk for c in comments],
    )


def _nothing_decided(concern):
    concern.refresh_from_db()
    return concern.status == "open" and not Receipt.objects.filter(kind="decision").exists() and concern.events.count() == 1


def test_a_concern_is_raised_from_comments_on_their_lineages(concern, comments, draft_provision):
    assert set(concern.comments.values_list("pk", flat=True)) == {c.pk for c in comments}
    assert list(concern.lineages.values_list("pk", flat=True)) == [draft_provision.lineage_id]
    assert concern.raised_in == draft_provision.version and concern.document == draft_provision.version.document
    [event] = concern.events.all()
    assert (event.from_status, event.to_status) == ("open", "open")


def test_deciding_appends_a_link_to_the_chain_and_an_audit_event(concern, member, demo):
    concerns.concern_transition(actor=member, concern_id=concern.pk, to_status="under_review", reason="Assigned to the rights group.")
    decided = concerns.concern_decide(
        actor=member, concern_id=concern.pk, status="accepted", norms=[ICCPR],
        rationale="The grounds are replaced by those ICCPR art. 18(3) allows: public safety, order, health or morals.",
    )
    assert decided.status == "accepted" and decided.decided_at and list(decided.norms.values_list("label", flat=True)) == [ICCPR.label]
    events = list(ConcernEvent.objects.filter(concern=concern).values_list("from_status", "to_status"))
    assert events == [("open", "open"), ("open", "under_review"), ("under_review", "accepted")]
    receipt = Receipt.objects.get(kind="decision")
    assert receipt.decision.concern_id == concern.pk and receipt.sequence == 4  # after the three comments
    assert receipt.decision.decision["comments"] == sorted(concern.comments.values_list("pk", flat=True))
    assert chain.chain_verification(consultation=demo).intact
    call_command("verify_receipts", consultation=demo.slug)


def test_a_rationale_edited_by_sql_is_caught(concern, member, demo, capsys):
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="rejected", rationale="The clause stays as drafted.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE comments_concern SET rationale = 'We never said that.' WHERE id = %s", [concern.pk])
    with pytest.raises(CommandError):
        call_command("verify_receipts", consultation=demo.slug)
    assert f"concern {concern.pk}'s decision is not the one its receipts record" in capsys.readouterr().err
    with connection.cursor() as cursor:  # and the recorded rationale itself, behind the concern
        cursor.execute("UPDATE comments_concernevent SET reason = 'We never said that.' WHERE concern_id = %s AND decision IS NOT NULL", [concern.pk])
    with pytest.raises(CommandError):
        call_command("verify_receipts", consultation=demo.slug)
    assert "what it records no longer matches its hash" in capsys.readouterr().err


def test_changing_a_decision_is_a_new_link_never_an_edit(concern, member, demo):
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="rejected", rationale="Kept as drafted.")
    with pytest.raises(InvalidState) as refused:
        concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="On reflection, accepted.")
    assert refused.value.code == "already_decided"
    assert Receipt.objects.filter(kind="decision").count() == 1 and Concern.objects.get().rationale == "Kept as drafted."
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="partially_accepted", rationale="Partly, after all.", revises=True)
    assert list(Receipt.objects.filter(kind="decision").values_list("decision__to_status", flat=True)) == ["rejected", "partially_accepted"]
    assert chain.chain_verification(consultation=demo).intact


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"status": "accepted", "rationale": "   "}, "rationale"), ({"status": "open", "rationale": "Why."}, "status"),
     ({"status": "accepted", "rationale": "Why.", "norms": [concerns.NormInput(" ")]}, "norms"),
     # A norm's address becomes a link on the public record: a script in it would run for whoever follows it.
     *[({"status": "accepted", "rationale": "Why.", "norms": [ICCPR, concerns.NormInput("ICCPR", url)]}, "norms")
       for url in ("javascript:alert(1)", " JavaScript:window.__xss=1", "data:text/html,<script>alert(1)</script>",
                   "vbscript:msgbox(1)", "//evil.example/x", "ftp://example.org/iccpr.txt", "https://")],
     ({"status": "accepted", "rationale": "Why.", "change_ids": [1]}, "resolved_in")],
)
def test_bad_decisions_are_refused_and_change_nothing(concern, member, arguments, field):
    with pytest.raises(ApplicationError) as refused:
        concerns.concern_decide(actor=member, concern_id=concern.pk, **arguments)
    assert refused.value.status == 400 and field in refused.value.fields
    assert _nothing_decided(concern)


def test_a_concern_is_resolved_only_in_a_later_version_of_its_document(concern, member, demo):
    baseline = concern.document.versions.get(number=0)
    with pytest.raises(ApplicationError) as refused:
        concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="Why.", resolved_in_id=baseline.pk)
    assert "resolved_in" in refused.value.fields and _nothing_decided(concern)


@pytest.mark.parametrize("who", ["citizen", "other commission", "staff"])
def test_only_this_commission_works_on_its_concerns(concern, comments, demo, make_participant, who):
    actor = {
        "citizen": lambda: make_participant("Citizen"),
        "other commission": lambda: MembershipFactory().user,
        "staff": lambda: AdminFactory(),
    }[who]()
    attempts = [
        lambda: concerns.concern_create(actor=actor, consultation_id=demo.pk, title="Mine", comment_ids=[comments[0].pk]),
        lambda: concerns.concern_decide(actor=actor, concern_id=concern.pk, status="accepted", rationale="Why."),
        lambda: concerns.concern_transition(actor=actor, concern_id=concern.pk, to_status="under_review"),
        lambda: concerns.concern_comments_add(actor=actor, concern_id=concern.pk, comment_ids=[comments[0].pk]),
        lambda: concerns.comment_mark_no_answer(actor=actor, comment_id=comments[0].pk, reason="Thanks only."),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.code == "not_commission"
    assert Concern.objects.count() == 1 and _nothing_decided(concern)


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [("open", "under_review", True), ("open", "withdrawn", True), ("under_review", "open", True), ("withdrawn", "open", True),
     ("withdrawn", "under_review", False), ("open", "accepted", False), ("open", "open", False)],
)
def test_transitions_without_a_decision(concern, member, start, to, allowed):
    Concern.objects.filter(pk=concern.pk).update(status=start)
    if allowed:
        assert concerns.concern_transition(actor=member, concern_id=concern.pk, to_status=to).status == to
        assert concern.events.last().to_status == to
    else:
        with pytest.raises(InvalidState):
            concerns.concern_transition(actor=member, concern_id=concern.pk, to_status=to)
        assert Concern.objects.get().status == start and concern.events.count() == 1


def test_a_decided_concern_is_not_moved_by_a_transition(concern, member):
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="out_of_scope", rationale="A matter for ordinary law.")
    with pytest.raises(InvalidState):
        concerns.concern_transition(actor=member, concern_id=concern.pk, to_status="open")


def test_a_comment_from_another_consultation_is_refused(member, demo, concern, make_participant):
    other = ConsultationFactory()
    assert not other.comments.exists()
    with pytest.raises(ApplicationError) as refused:
        concerns.concern_create(actor=member, consultation_id=demo.pk, title="T", comment_ids=[999_999])
    assert refused.value.code == "comment_not_in_consultation"
    with pytest.raises(NotFound):
        concerns.concern_decide(actor=member, concern_id=999_999, status="accepted", rationale="Why.")
    assert Concern.objects.count() == 1


def test_every_comment_accounted_for(concern, comments, member, demo, make_participant, draft_provision):
    extra = services.comment_submit(author=make_participant("Grateful"), provision_id=draft_provision.pk, body="Thank you!", stance="support", language="en")
    assert concern_selectors.comments_accounted_for(consultation=demo) == concern_selectors.AccountedFor(3, 4)
    assert list(concern_selectors.comments_unaccounted(consultation=demo)) == [extra]
    concerns.comment_mark_no_answer(actor=member, comment_id=extra.pk, reason="Thanks; nothing to answer.")
    figures = concern_selectors.comments_accounted_for(consultation=demo, provision=draft_provision)
    assert figures == concern_selectors.AccountedFor(4, 4) and figures.share == 1.0
    assert not concern_selectors.comments_unaccounted(consultation=demo).exists()


def test_bulk_assignment_is_idempotent(concern, comments, member, make_participant, draft_provision):
    more = services.comment_submit(author=make_participant("Late"), provision_id=draft_provision.pk, body="Same point.", stance="oppose", language="en")
    for _ in range(2):
        concerns.concern_comments_add(actor=member, concern_id=concern.pk, comment_ids=[comments[0].pk, more.pk])
    assert ConcernComment.objects.filter(concern=concern).count() == 4


def test_a_reviewer_is_a_member_of_the_commission(concern, member, make_participant):
    with pytest.raises(ApplicationError) as refused:
        concerns.concern_assign(actor=member, concern_id=concern.pk, reviewer=make_participant("Outsider"))
    assert refused.value.code == "reviewer_not_commission"
    assert concerns.concern_assign(actor=member, concern_id=concern.pk, reviewer=member).reviewer == member


def test_the_database_refuses_a_decision_without_rationale(concern):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).update(status="accepted", rationale="")


@pytest.mark.django_db(transaction=True)
def test_commenters_are_told_of_the_decision_once_by_a_real_worker(celery_worker, concern, member, comments):
    from django.core import mail

    from comments import tasks
    from comments.models import OutboxEmail
    from tests.conftest import wait_for

    def notices():
        return [message for message in mail.outbox if "decided on a point you raised" in message.subject]

    concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="Replaced by the ICCPR grounds.")
    assert wait_for(lambda: len(notices()) == 3)
    assert sorted(m.to[0] for m in notices()) == sorted(c.author.email for c in comments)
    assert "Replaced by the ICCPR grounds." in notices()[0].body and "TARVANIA-2026-0000004" in notices()[0].body
    for notice in OutboxEmail.objects.filter(subject__contains="decided"):  # a task delivered twice sends nothing twice
        tasks.outbox_email_send(outbox_id=notice.pk)
    assert wait_for(lambda: not OutboxEmail.objects.filter(sent_at__isnull=True).exists())
    assert tasks.outbox_sweep() == 0 and len(notices()) == 3
