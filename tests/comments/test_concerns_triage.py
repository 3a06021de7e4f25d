"""The commission's triage pages: the queue per document and provision, suggested groupings of similar
comments (threshold, cap, accepting a group), merging and splitting concerns from a concern's page,
who may, and what a keyboard and a screen reader need (labels, skip links)."""
import re

import pytest

from comments import services as comment_services
from comments.concerns import selectors as concern_selectors
from comments.concerns import services as concerns
from comments.models import Concern, ConcernComment, ConcernEvent
from drafts.models import Provision
from tests.factories import AdminFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TRIAGE = "/c/tarvania-2026/triage/"
GROUPS = TRIAGE + "?view=groups"

VAGUE = "The words spiritual and moral values are too vague: any right could be restricted on these grounds."
VAGUE_AGAIN = "Spiritual and moral values are too vague: any right could be restricted on these grounds by an official."
# Similar to VAGUE by 0.31 (Jaccard of word pairs): grouped with it at 0.3, not at 0.4.
VAGUE_LOOSELY = "The words spiritual and moral values are too vague; the ICCPR allows only public health and morals as grounds."
TURNOUT = "The referendum should need a turnout of half the voters to be valid at all."


def _comment(make_participant, provision, name, body):
    return comment_services.comment_submit(author=make_participant(name), provision_id=provision.pk, stance="oppose", language="en", body=body)


def _law_provision():
    return Provision.objects.filter(version__document__slug="referendum-law", version__number=1, kind="article").order_by("order").first()


def _state():
    return (
        sorted(ConcernComment.objects.values_list("id", "concern_id", "comment_id")),
        sorted(Concern.objects.values_list("id", "status", "merged_into_id", "title")),
        ConcernEvent.objects.count(),
    )


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other commission", "staff"])
def test_the_triage_pages_are_the_commissions_only(client, demo, member, comments, make_participant, who):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Two", comment_ids=[c.pk for c in comments[:2]])
    other = concerns.concern_create(actor=member, consultation_id=demo.pk, title="One", comment_ids=[comments[2].pk])
    user = {"anonymous": lambda: None, "citizen": lambda: make_participant("C"), "other commission": lambda: MembershipFactory().user,
            "staff": AdminFactory}[who]()
    if user is not None:
        client.force_login(user)
    before = _state()
    url = f"/c/tarvania-2026/concerns/{concern.pk}/"
    assert client.get(GROUPS).status_code == 403
    assert client.post(GROUPS, {"action": "create", "comments": [comments[0].pk], "title": "T"}).status_code == 403
    assert client.get(url + "merge/").status_code == 403 and client.get(url + "split/").status_code == 403
    assert client.post(url + "merge/", {"concerns": [other.pk]}).status_code == 403
    assert client.post(url + "split/", {"comments": [comments[0].pk], "title": "T"}).status_code == 403
    page = client.get(url).content.decode()
    assert "Merge other concerns into this one" not in page and "Split off" not in page
    assert _state() == before


# --- the queue per document and provision -------------------------------------------------------------


def test_the_queue_filters_by_document_and_provision_with_counts(logged_in, demo, comments, make_participant, draft_provision):
    law = _comment(make_participant, _law_provision(), "Voter", TURNOUT)
    article = Provision.objects.get(version=draft_provision.version, path="II/25")
    sibling = Provision.objects.filter(version=draft_provision.version, path__startswith="II/", kind="article").exclude(pk=article.pk).first()

    page = logged_in.get(TRIAGE).content.decode()
    assert "4 comments to triage" in page
    assert "Constitution of the Republic of Tarvania (3 comments)" in page and "Constitutional Law on the Republic Referendum (1 comment)" in page
    assert f'<option value="{article.pk}">II/25 · Article 25 (3)</option>' in page
    assert f'<option value="{draft_provision.pk}">II/25/1 · Paragraph 1 (3)</option>' in page

    page = logged_in.get(TRIAGE, {"document": "referendum-law"}).content.decode()
    # A comment's checkbox by its id: its pk may also be a provision's, in the provision filter's options.
    assert "1 comment to triage" in page and f'id="triage-{law.pk}"' in page and f'id="triage-{comments[0].pk}"' not in page
    assert f'<option value="{article.pk}">' not in page  # the provisions of the chosen document only
    assert '<option value="referendum-law" selected>' in page

    page = logged_in.get(TRIAGE, {"provision": article.pk}).content.decode()  # an article: its paragraphs' comments too
    assert "3 comments to triage" in page and all(f'id="triage-{c.pk}"' in page for c in comments) and f'id="triage-{law.pk}"' not in page
    assert f'<option value="{article.pk}" selected>' in page and '<option value="constitution" selected>' in page
    assert "0 of 3 comments answered" in page  # the figure of the provision

    page = logged_in.get(TRIAGE, {"provision": sibling.pk}).content.decode()
    assert "Every comment is accounted for" in page and f'<option value="{sibling.pk}" selected>' in page


def test_a_provisions_page_links_its_queue_for_the_commission(client, member, demo, draft_provision, make_participant):
    url = "/c/tarvania-2026/constitution/v1/p/II/25/1/"
    link = f'href="{TRIAGE}?provision={draft_provision.pk}"'
    client.force_login(make_participant("Citizen"))
    assert link not in client.get(url).content.decode()
    client.force_login(member)
    assert link in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"document": "nope"}, "There is no document “nope” in this consultation."),
        ({"provision": "987654"}, "There is no provision 987654"),
        ({"provision": "abc"}, "Provision: Enter a whole number."),
        ({"view": "groups", "threshold": "7"}, "Similarity of at least: Ensure this value is less than or equal to 1.0."),
    ],
)
def test_a_bad_filter_is_said_above_the_whole_queue(logged_in, comments, query, message):
    response = logged_in.get(TRIAGE, query)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and 'role="alert"' in page
    assert all(c.pk and str(c.pk) in page for c in comments)  # the whole queue, unfiltered


def test_a_provision_of_another_document_than_the_one_chosen_is_refused(logged_in, comments, draft_provision):
    response = logged_in.get(TRIAGE, {"document": "referendum-law", "provision": draft_provision.pk})
    assert response.status_code == 400 and f"There is no provision {draft_provision.pk}" in response.content.decode()


def test_the_queue_pages_keep_the_filter(logged_in, member, demo, make_participant, draft_provision):
    for n in range(26):
        comment_services.comment_submit(
            author=make_participant(f"P{n}"), provision_id=draft_provision.pk, stance="question", language="en", body=f"Question {n}?"
        )
    page = logged_in.get(TRIAGE, {"provision": draft_provision.pk}).content.decode()
    assert f'href="?provision={draft_provision.pk}&amp;page=2"' in page


def test_the_queue_costs_the_same_whatever_its_length(logged_in, make_participant, draft_provision, django_assert_max_num_queries):
    for n in range(30):
        _comment(make_participant, draft_provision, f"P{n}", f"Comment number {n} on the clause.")
    with django_assert_max_num_queries(20):
        assert logged_in.get(TRIAGE, {"provision": draft_provision.pk}).status_code == 200
    with django_assert_max_num_queries(20):
        assert logged_in.get(GROUPS).status_code == 200


# --- suggested groupings ------------------------------------------------------------------------------


def test_similar_comments_are_suggested_as_a_group_and_unrelated_ones_are_not(demo, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    _comment(make_participant, _law_provision(), "Voter", TURNOUT)
    _comment(make_participant, draft_provision, "Short", "I agree.")
    groupings = concern_selectors.triage_groupings(consultation=demo)
    assert [group.comment_ids for group in groupings.groups] == [tuple(c.pk for c in similar)]
    assert groupings.threshold == 0.5 and groupings.considered == groupings.total == 4 and not groupings.capped


def test_short_comments_group_as_exact_duplicates_and_proposed_wordings_count(demo, make_participant, draft_provision):
    thanks = [_comment(make_participant, draft_provision, f"T{n}", "Thank you!") for n in range(2)]
    wording = "Rights may be restricted only on the grounds of public health and public morals."
    proposals = [
        comment_services.comment_submit(
            author=make_participant(f"W{n}"), provision_id=draft_provision.pk, stance="propose_wording", language="en", body=body,
            proposed_wording=wording,
        )
        for n, body in enumerate(["Replace the clause.", "Use the ICCPR's words."])
    ]
    _comment(make_participant, draft_provision, "Other", "Thank you, commission")
    groups = [group.comment_ids for group in concern_selectors.triage_groupings(consultation=demo).groups]
    assert sorted(groups) == sorted([tuple(c.pk for c in thanks), tuple(c.pk for c in proposals)])


def test_the_threshold_changes_the_groups(demo, make_participant, draft_provision):
    pair = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_LOOSELY])]
    assert [g.comment_ids for g in concern_selectors.triage_groupings(consultation=demo, threshold=0.3).groups] == [tuple(c.pk for c in pair)]
    assert concern_selectors.triage_groupings(consultation=demo, threshold=0.4).groups == ()


def test_groupings_are_of_the_queue_of_the_filter_and_accounted_comments_leave_them(demo, member, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    law = _law_provision()
    assert concern_selectors.triage_groupings(consultation=demo, document=law.version.document).groups == ()
    assert len(concern_selectors.triage_groupings(consultation=demo, provision=draft_provision).groups) == 1
    concerns.comments_mark_no_answer(actor=member, consultation_id=demo.pk, comment_ids=[similar[0].pk], reason="Answered elsewhere.")
    assert concern_selectors.triage_groupings(consultation=demo).groups == ()


def test_the_cap_groups_the_most_recent_and_says_so(logged_in, demo, make_participant, draft_provision, monkeypatch):
    older = _comment(make_participant, draft_provision, "Old", VAGUE)
    newer = [_comment(make_participant, draft_provision, f"N{n}", body) for n, body in enumerate([VAGUE_AGAIN, VAGUE])]
    groupings = concern_selectors.triage_groupings(consultation=demo, cap=2)
    assert groupings.capped and groupings.considered == 2 and groupings.total == 3
    assert [g.comment_ids for g in groupings.groups] == [tuple(c.pk for c in newer)] and older.pk not in groupings.groups[0].comment_ids
    monkeypatch.setattr(concern_selectors, "TRIAGE_GROUPING_CAP", 2)
    page = logged_in.get(GROUPS).content.decode()
    assert "Only the 2 most recent of the 3 comments in this queue are grouped." in page
    monkeypatch.setattr(concern_selectors, "TRIAGE_GROUPING_CAP", 3)
    assert "most recent" not in logged_in.get(GROUPS).content.decode()


def test_the_groupings_page_shows_each_group_with_its_forms_and_a_threshold_control(logged_in, demo, member, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Open point", lineage_ids=[draft_provision.lineage_id])
    page = logged_in.get(GROUPS).content.decode()
    assert "1 group of similar comments" in page and "Group 1: 2 similar comments" in page and "too vague" in page
    assert "Raise a concern from these 2 comments" in page and "Add them to the concern" in page and "Open point" in page
    assert page.count(f'<input type="hidden" name="comments" value="{similar[0].pk}">') == 2  # in each of the group's two forms
    assert '<label for="group-1-title">' in page and 'id="group-1-title"' in page and '<label for="group-1-concern">' in page
    assert '<label for="filter-threshold">' in page
    assert re.findall(r'<option value="(0\.\d)"( selected)?>', page) == [
        ("0.3", ""), ("0.4", ""), ("0.5", " selected"), ("0.6", ""), ("0.7", ""), ("0.8", ""), ("0.9", ""),
    ]
    assert '<input type="hidden" name="view" value="groups">' in page  # the threshold form stays on this view
    page = logged_in.get(GROUPS + "&threshold=0.9").content.decode()
    assert "0 groups of similar comments" in page and "Lower the similarity" in page and '<option value="0.9" selected>' in page


def test_accepting_a_group_raises_a_concern_from_its_comments(logged_in, demo, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    url = GROUPS + "&threshold=0.5"
    response = logged_in.post(url, {"action": "create", "comments": [c.pk for c in similar], "title": "Vague grounds"})
    assert response.status_code == 302 and response.url == url
    concern = Concern.objects.get(title="Vague grounds")
    assert sorted(concern.comments.values_list("pk", flat=True)) == [c.pk for c in similar]
    page = logged_in.get(url).content.decode()
    assert "is raised from 2 comment(s)" in page and "0 groups of similar comments" in page


def test_adding_a_group_to_an_open_concern(logged_in, demo, member, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Open point", lineage_ids=[draft_provision.lineage_id])
    response = logged_in.post(GROUPS, {"action": "add", "comments": [c.pk for c in similar], "concern": concern.pk})
    assert response.status_code == 302
    assert sorted(concern.comments.values_list("pk", flat=True)) == [c.pk for c in similar]


def test_accepting_a_group_without_a_title_says_so_and_changes_nothing(logged_in, demo, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"S{n}", body) for n, body in enumerate([VAGUE, VAGUE_AGAIN])]
    before = _state()
    response = logged_in.post(GROUPS, {"action": "create", "comments": [c.pk for c in similar], "title": " "})
    page = response.content.decode()
    assert response.status_code == 400 and "Give the concern a title" in page and "Group 1: 2 similar comments" in page
    assert _state() == before


def test_the_pages_have_skip_links_to_their_actions(logged_in, comments, make_participant, draft_provision):
    page = logged_in.get(TRIAGE).content.decode()
    assert '<a class="skip-link" href="#triage-actions">' in page and 'id="triage-actions"' in page
    assert all(f'<label for="triage-{c.pk}">' in page for c in comments)
    page = logged_in.get(GROUPS).content.decode()
    assert '<a class="skip-link" href="#groupings">' in page and '<section id="groupings"' in page
    assert 'aria-current="page">Suggested groupings</a>' in page


# --- merging and splitting from a concern's page ---------------------------------------------------------


@pytest.fixture
def three(member, demo, comments):
    return [concerns.concern_create(actor=member, consultation_id=demo.pk, title=f"Point {n}", comment_ids=[c.pk]) for n, c in enumerate(comments)]


def test_the_concern_page_has_the_merge_and_split_forms_for_members(logged_in, three, member, comments):
    concerns.concern_comments_add(actor=member, concern_id=three[0].pk, comment_ids=[comments[1].pk])
    page = logged_in.get(f"/c/tarvania-2026/concerns/{three[0].pk}/").content.decode()
    assert "Merge other concerns into this one" in page and "Split off the comments that make another point" in page
    assert f'#{three[1].pk} Point 1 (1 comment)' in page and f'#{three[0].pk} Point 0' not in page
    assert '<label for="merge-concerns_0">' in page and '<label for="split-comments_1">' in page and 'for="split-title"' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # beside the decision and status forms: each label names one field
    page = logged_in.get(f"/c/tarvania-2026/concerns/{three[1].pk}/").content.decode()
    assert "A concern is split when it has at least two comments." in page


def test_merging_through_the_page(logged_in, demo, three, comments, client):
    url = f"/c/tarvania-2026/concerns/{three[0].pk}/"
    response = logged_in.post(url + "merge/", {"concerns": [three[1].pk, three[2].pk], "reason": "Same point."})
    assert response.status_code == 302 and response.url == url
    assert sorted(three[0].comments.values_list("pk", flat=True)) == [c.pk for c in comments]
    assert "2 concern(s) merged into this one" in logged_in.get(url).content.decode()
    merged_page = logged_in.get(f"/c/tarvania-2026/concerns/{three[1].pk}/").content.decode()
    assert "Merged into" in merged_page and f'href="{url}">Concern {three[0].pk}</a>' in merged_page
    assert f"Merged into #{three[0].pk}." in merged_page  # its trail
    assert "Merge other concerns into this one" not in merged_page  # withdrawn: nothing more to do on it
    public = client.get("/c/tarvania-2026/heard/").content.decode()
    assert f'href="{url}">Concern {three[0].pk}</a>' in public


def test_splitting_through_the_page(logged_in, demo, member, comments):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="All three", comment_ids=[c.pk for c in comments])
    response = logged_in.post(f"/c/tarvania-2026/concerns/{concern.pk}/split/", {"comments": [comments[2].pk], "title": "Another point"})
    new = Concern.objects.get(title="Another point")
    assert response.status_code == 302 and response.url == f"/c/tarvania-2026/concerns/{new.pk}/"
    assert list(new.comments.values_list("pk", flat=True)) == [comments[2].pk]
    page = logged_in.get(response.url).content.decode()
    assert f"This concern is raised from 1 comment(s) of concern #{concern.pk}." in page and f"Split from #{concern.pk}." in page


@pytest.mark.parametrize(
    ("action", "data", "status", "message"),
    [
        ("split", {"comments": "ALL", "title": "All"}, 409, "Leave at least one comment behind this concern"),
        ("split", {"comments": "FIRST", "title": ""}, 400, "Give the concern a title"),
        ("split", {"title": "Nothing checked"}, 400, "Check the comments that make the other point."),
        ("split", {"comments": ["abc"], "title": "T"}, 400, "Choose from the list."),
        ("merge", {}, 400, "Choose at least one concern to merge into this one."),
        ("merge", {"concerns": "SELF"}, 409, "A concern cannot be merged into itself."),
        ("merge", {"concerns": "DECIDED"}, 409, "is decided"),
    ],
)
def test_a_refused_merge_or_split_on_the_page_says_why_and_changes_nothing(logged_in, demo, member, comments, action, data, status, message):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Two", comment_ids=[c.pk for c in comments[:2]])
    decided = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Decided", comment_ids=[comments[2].pk])
    concerns.concern_decide(actor=member, concern_id=decided.pk, status="rejected", rationale="No.")
    values = {"ALL": [c.pk for c in comments[:2]], "FIRST": [comments[0].pk], "SELF": [concern.pk], "DECIDED": [decided.pk]}
    data = {key: values.get(value, value) if isinstance(value, str) else value for key, value in data.items()}
    before = _state()
    response = logged_in.post(f"/c/tarvania-2026/concerns/{concern.pk}/{action}/", data)
    page = response.content.decode()
    assert response.status_code == status and message in page and 'role="alert"' in page and "Nothing was changed" in page
    assert _state() == before
    if action == "split" and data.get("comments") not in (None, ["abc"]):  # what was checked stays checked
        assert all(re.search(rf'name="comments" value="{i}"[^>]* checked>', page) for i in data["comments"])


def test_the_merge_and_split_pages_show_their_form(logged_in, three):
    url = f"/c/tarvania-2026/concerns/{three[0].pk}/"
    assert "Merge them into this concern" in logged_in.get(url + "merge/").content.decode()
    assert "A concern is split when it has at least two comments." in logged_in.get(url + "split/").content.decode()
