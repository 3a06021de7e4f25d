"""The demo's story, as `make run` shows it: many comments on draft 1 (a campaign of form letters among them), the
commission's concerns, draft 2 with the accepted concern linked to its changed words, and comments left for triage."""
import pytest

from comments.campaigns import selectors as campaign_selectors
from comments.chain import selectors as chain
from comments.concerns import selectors as concern_selectors
from comments.concerns import services as concerns
from comments.demo_data import ASSEMBLY_COMMENTS, CITIZENS, FORM_LETTER, FORM_LETTERS, GROUNDS_TITLE, demo_comments_load, demo_next_draft_load
from comments.models import Campaign, Comment, CommentNoAnswer, Concern, ConcernEvent, Receipt
from drafts.models import Alignment, DraftVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(demo):
    demo_comments_load(consultation=demo)
    return demo


def _chair(consultation):
    return consultation.memberships.get(role="chair").user


def test_many_people_comment_on_draft_1(demo):
    count = demo_comments_load(consultation=demo)
    assert count == Comment.objects.count() == 22  # 21 from citizens, one official answer
    citizens = Comment.objects.filter(is_official=False)
    assert citizens.values("author").distinct().count() == len(CITIZENS) == 14
    assert {comment.version.number for comment in Comment.objects.select_related("version")} == {1}
    assert set(citizens.values_list("language", flat=True)) == {"en", "ru"}
    assert citizens.filter(provision__path="II/25/1").count() == 5 + 8 + 1  # the reply agrees with the first
    assert all(comment.receipt for comment in Comment.objects.select_related("receipt"))


def test_the_form_letters_are_found_as_one_campaign(story):
    [campaign] = Campaign.objects.all()
    letters = Comment.objects.filter(body__contains=FORM_LETTER[:60])
    assert campaign.size == len(FORM_LETTERS) == 8 == letters.count()
    members = set(campaign_selectors.campaign_members(campaign=campaign).values_list("author__username", flat=True))
    assert members == set(FORM_LETTERS)  # the letters' authors, the one who misspelt "Commission" too, and no one else
    assert "International Covenant on Civil and Political Rights" in campaign.template_text
    with_additions = campaign_selectors.campaign_members_with_additions(
        campaign=campaign, comments=campaign_selectors.campaign_members(campaign=campaign)
    )
    additions = {member.comment.author.username: member.additions for member in with_additions}
    assert not additions["demo-marat"] and any("journalist" in text for text in additions["demo-yerlan"])


def test_the_grounds_concern_is_under_review_with_the_letters_and_the_senate_one_rejected(story):
    grounds, senate = Concern.objects.order_by("id")
    assert grounds.title == GROUNDS_TITLE and grounds.status == "under_review" and grounds.resolved_in is None
    assert grounds.comments.count() == 5 + 8 and grounds.reviewer == _chair(story)
    assert set(FORM_LETTERS) <= set(grounds.comments.values_list("author__username", flat=True))
    [supporters] = concern_selectors.concern_supporters_annotate(Concern.objects.filter(pk=grounds.pk))
    assert supporters.campaign_count == 1 and supporters.campaign_comment_count == 8 and supporters.supporter_count == 13
    assert senate.status == "rejected" and "People's Council" in senate.rationale
    assert Receipt.objects.filter(kind="decision").count() == 1
    assert CommentNoAnswer.objects.count() == 1


def test_similar_comments_are_left_for_triage_as_one_suggested_group(story):
    assert concern_selectors.comments_accounted_for(consultation=story) == concern_selectors.AccountedFor(15, 21)
    queue = concern_selectors.comments_unaccounted(consultation=story)
    assert queue.count() == 6
    assembly = set(queue.filter(provision__path="II/21/1").values_list("id", flat=True))
    assert len(assembly) == len(ASSEMBLY_COMMENTS) == 4
    [group] = concern_selectors.triage_groupings(consultation=story).groups  # the two other comments group with nothing
    assert set(group.comment_ids) == assembly and "Everyone has the right to assemble peacefully" in group.template
    assert Campaign.objects.count() == 1  # similar comments, each with its own reason: not a form letter


def test_draft_2_carries_the_accepted_concern_to_its_changed_words(story):
    draft_2 = demo_next_draft_load(consultation=story)
    grounds, senate = Concern.objects.order_by("id")
    assert grounds.status == "accepted" and grounds.resolved_in == draft_2 and draft_2.number == 2
    assert "ICCPR art. 18(3)" in grounds.rationale and "19(3)" in grounds.rationale
    assert list(grounds.norms.values_list("label", flat=True)) == [
        "ICCPR art. 18(3)", "ICCPR art. 19(3)", "UN Human Rights Committee, General Comment No. 22, para. 8",
    ]
    assert [e.to_status for e in grounds.events.order_by("id")] == ["open", "under_review", "accepted"]
    alignment = Alignment.objects.get(old_version__number=1, new_version=draft_2)
    changes = grounds.changes.prefetch_related("old_provisions", "new_provisions").order_by("order")
    assert [(c.alignment_id, c.kind, c.level, [p.path for p in c.new_provisions.all()]) for c in changes] == [
        (alignment.pk, "modified", "article", ["II/25"]), (alignment.pk, "modified", "paragraph", ["II/25/1"]),
    ]
    [rows] = concern_selectors.concern_changes_public(concerns=[grounds]).values()  # the changed words, as the public sees them
    removed = " ".join(op.old for row in rows for op in row.diff if op.op in ("delete", "replace"))
    added = " ".join(op.new for row in rows for op in row.diff if op.op in ("insert", "replace"))
    assert "spiritual and moral values" in removed and "national security" in added and "democratic society" in added
    assert senate.status == "rejected" and senate.resolved_in is None
    decisions = Receipt.objects.filter(kind="decision").order_by("id")
    assert [r.decision.concern_id for r in decisions] == [senate.pk, grounds.pk]
    event = ConcernEvent.objects.get(concern=grounds, to_status="accepted")
    assert event.decision["resolved_in"] == draft_2.pk and event.decision["changes"] == sorted(c.pk for c in changes)
    report = chain.chain_verification(consultation=story)
    assert report.intact and report.stored == Comment.objects.count() + 2


def test_the_journey_can_group_the_assembly_comments_and_link_them_to_draft_2(story):
    demo_next_draft_load(consultation=story)
    [group] = concern_selectors.triage_groupings(consultation=story).groups
    chair = _chair(story)
    concern = concerns.concern_create(
        actor=chair, consultation_id=story.pk, comment_ids=group.comment_ids, title="Peaceful assembly for everyone, not citizens only",
    )
    draft_2 = DraftVersion.objects.get(document__slug="constitution", number=2)
    offered = concern_selectors.concern_change_suggestions(concern=concern, version=draft_2)
    assert {(c.kind, tuple(p.path for p in c.new_provisions.all())) for c in offered if c.kind != "unchanged"} == {
        ("modified", ("II/21",)), ("modified", ("II/21/1",)),
    }


def test_loading_the_story_again_changes_nothing(story):
    draft_2 = demo_next_draft_load(consultation=story)
    counts = (Comment.objects.count(), Concern.objects.count(), ConcernEvent.objects.count(), Receipt.objects.count(), Campaign.objects.count())
    assert demo_comments_load(consultation=story) == 0
    assert demo_next_draft_load(consultation=story) == draft_2
    assert (Comment.objects.count(), Concern.objects.count(), ConcernEvent.objects.count(), Receipt.objects.count(), Campaign.objects.count()) == counts
    assert DraftVersion.objects.filter(document__slug="constitution").count() == 3


def test_the_public_pages_tell_the_story(story, client):
    demo_next_draft_load(consultation=story)
    grounds = Concern.objects.get(title=GROUNDS_TITLE)
    heard = client.get(f"/c/{story.slug}/heard/")
    assert heard.status_code == 200 and "spiritual and moral values" in heard.content.decode()
    page = client.get(f"/c/{story.slug}/concerns/{grounds.pk}/").content.decode()
    assert "ICCPR art. 18(3)" in page and "Draft 2" in page and "national security" in page
    comparison = client.get(f"/c/{story.slug}/constitution/compare/v1-v2/")
    assert comparison.status_code == 200 and "forty-eight" in comparison.content.decode()


def test_without_an_admin_there_is_no_commission_work(db):
    from consult.demo_data import demo_consultation_load

    consultation = demo_consultation_load()
    assert demo_comments_load(consultation=consultation) == 21  # no official answer
    draft_2 = demo_next_draft_load(consultation=consultation)
    assert draft_2.status == "published" and not Concern.objects.exists() and draft_2.published_by is None
