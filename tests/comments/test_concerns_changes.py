"""The changes of words that carry a decision: suggested from the alignment of the concern's lineages, confirmed by
the reviewer on the decision form or through the API, shown in public with their word diff."""
import pytest
from rest_framework.test import APIClient

from comments.concerns import selectors
from comments.concerns import services as concerns
from comments.concerns.excerpts import ELLIPSIS, diff_excerpt
from comments.models import Concern, ConcernEvent, Receipt
from config.errors import InvalidState
from drafts.diff import DiffOp, word_diff
from drafts.models import Alignment, DraftVersion, Provision, ProvisionChange
from tests.comments.test_carried_forward import draft_2_text
from tests.factories import AdminFactory, MembershipFactory

# --- the short diff: a pure core -----------------------------------------------------------------

OLD = ("The rights and freedoms of the person and citizen may be restricted by law only to the extent necessary to protect "
       "the constitutional order, public order, human rights and freedoms, the health of the population, and spiritual and "
       "moral values. No other ground may ever be used to restrict them in this Republic.")
NEW = OLD.replace("the health of the population, and spiritual and moral values.", "public health and public morals.")


def test_a_short_diff_keeps_every_change_and_a_few_words_around_it():
    short = diff_excerpt(word_diff(OLD, NEW), context=3)
    changed = [op for op in short if op.op != "equal"]
    assert changed == [op for op in word_diff(OLD, NEW) if op.op != "equal"]
    assert short[0] == DiffOp("equal", f"{ELLIPSIS} rights and freedoms,", f"{ELLIPSIS} rights and freedoms,")
    assert short[-1].new == f". No other ground {ELLIPSIS}"  # a lone mark is not a word
    assert len("".join(op.new for op in short)) < len(NEW) / 2


def test_a_short_diff_of_unchanged_words_is_their_beginning():
    [op] = diff_excerpt(word_diff(OLD, OLD), context=4)
    assert op.new == f"The rights and freedoms of the person and {ELLIPSIS}"
    assert diff_excerpt(word_diff("Short text.", "Short text."), context=4) == word_diff("Short text.", "Short text.")
    assert diff_excerpt((), context=4) == ()
    with pytest.raises(ValueError):
        diff_excerpt(word_diff(OLD, NEW), context=0)


def test_a_short_run_between_two_changes_is_kept_whole():
    ops = (DiffOp("delete", "a ", ""), DiffOp("equal", "one two three", "one two three"), DiffOp("insert", "", " b"))
    assert diff_excerpt(ops, context=2) == ops


# --- suggestions (the fixtures below bring the database) --------------------------------------------------


@pytest.fixture
def publish_draft_2(demo, make_version):
    """Publish the demo's draft 2 (the ICCPR's grounds in Article 25(1), Article 30 dropped): after the concerns are
    raised, since a concern about provisions is raised in the newest version that has them."""
    return lambda: make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})


def _v(number, path):
    return Provision.objects.get(version__document__slug="constitution", version__number=number, path=path)


def _paths(changes):
    return [([p.path for p in change.old_provisions.all()], [p.path for p in change.new_provisions.all()], change.kind) for change in changes]


def _concern(member, demo, *, comments=(), lineages=()):
    return concerns.concern_create(
        actor=member, consultation_id=demo.pk, title="Spiritual and moral values",
        comment_ids=[c.pk for c in comments], lineage_ids=[p.lineage_id for p in lineages],
    )


def test_a_paragraphs_concern_suggests_its_change_and_its_articles(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)  # the comments are on II/25/1
    draft_2 = publish_draft_2()
    suggestions = selectors.concern_change_suggestions(concern=concern, version=draft_2)
    assert _paths(suggestions) == [(["II/25"], ["II/25"], "modified"), (["II/25/1"], ["II/25/1"], "modified")]
    assert {change.alignment.old_version.number for change in suggestions} == {1}  # the alignment of the version before


def test_an_articles_concern_suggests_its_paragraphs_changes_too(demo, member, publish_draft_2):
    concern = _concern(member, demo, lineages=[_v(1, "II/25")])
    draft_2 = publish_draft_2()
    suggestions = selectors.concern_change_suggestions(concern=concern, version=draft_2)
    assert _paths(suggestions) == [
        (["II/25"], ["II/25"], "modified"), (["II/25/1"], ["II/25/1"], "modified"),
        (["II/25/2"], ["II/25/2"], "unchanged"), (["II/25/3"], ["II/25/3"], "unchanged"),
    ]
    assert not any(change.level == "container" for change in suggestions)  # never the whole section


def test_a_removed_provisions_concern_suggests_its_removal(demo, member, publish_draft_2):
    concern = _concern(member, demo, lineages=[_v(1, "IV/30")])
    draft_2 = publish_draft_2()
    suggestions = selectors.concern_change_suggestions(concern=concern, version=draft_2)
    assert suggestions and all(change.kind == "removed" for change in suggestions)
    assert _paths(suggestions)[0] == (["IV/30"], [], "removed")


def test_a_first_version_has_nothing_to_suggest_and_a_comparison_not_computed_says_so(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    baseline = concern.raised_in.document.versions.get(number=0)
    assert selectors.concern_change_suggestions(concern=concern, version=baseline) == []
    Alignment.objects.filter(new_version=draft_2).update(status="pending")
    with pytest.raises(InvalidState):
        selectors.concern_change_suggestions(concern=concern, version=draft_2)


def test_the_suggestions_cost_the_same_for_any_number_of_lineages(demo, member, publish_draft_2, django_assert_max_num_queries):
    concern = _concern(member, demo, lineages=[_v(1, path) for path in ("II/25", "I/2", "IV/30", "II/25/1")])
    draft_2 = publish_draft_2()
    with django_assert_max_num_queries(8):
        rows = selectors.concern_change_rows(changes=selectors.concern_change_suggestions(concern=concern, version=draft_2))
    assert len(rows) > 6 and all(row.diff for row in rows if row.old_text and row.new_text)


# --- the API -------------------------------------------------------------------------------------------

def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_member_reads_the_suggestions_with_their_words(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, lineages=[_v(1, "II/25")])
    draft_2 = publish_draft_2()
    answer = _api(member).get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version": draft_2.pk})
    assert answer.status_code == 200, answer.json()
    rows = answer.json()
    by_number = _api(member).get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version_number": 2})
    assert by_number.status_code == 200 and by_number.json() == rows
    assert [(row["old_paths"], row["new_paths"], row["kind"], row["suggested"]) for row in rows] == [
        (["II/25"], ["II/25"], "modified", True), (["II/25/1"], ["II/25/1"], "modified", True),
        (["II/25/2"], ["II/25/2"], "unchanged", False), (["II/25/3"], ["II/25/3"], "unchanged", False),
    ]
    paragraph = rows[1]
    assert "spiritual and moral values" in paragraph["old_text"] and "public morals" in paragraph["new_text"]
    assert any(run["op"] == "replace" and "spiritual" in run["old"] and "public morals" in run["new"] for run in paragraph["diff"])
    assert "".join(run["new"] for run in paragraph["diff"]) == paragraph["new_text"]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other commission", "staff"])
def test_only_the_commission_reads_the_suggestions(who, demo, member, comments, make_participant, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    publish_draft_2()
    user = {"anonymous": lambda: None, "citizen": lambda: make_participant("C"), "other commission": lambda: MembershipFactory().user,
            "staff": lambda: AdminFactory()}[who]()
    answer = _api(user).get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version_number": 2})
    assert answer.status_code == 403 and answer.json()["code"] == "not_commission"


@pytest.mark.parametrize(
    ("query", "status", "field_or_code"),
    [({"version": ""}, 400, "version"), ({"version": "two"}, 400, "version"), ({"version": "9" * 30}, 400, "version"),
     ({"version": "<draft 1>"}, 400, "version"), ({"version": "<baseline>"}, 400, "version"), ({"version": "<a law's>"}, 404, "not_found"),
     ({"version_number": "1"}, 400, "version"), ({"version_number": "0"}, 400, "version"), ({"version_number": "7"}, 404, "not_found"),
     ({"version_number": "2.5"}, 400, "version_number"), ({}, 400, "version"), ({"version": "<draft 2>", "version_number": "2"}, 400, "version")],
)
def test_a_bad_version_is_answered_clearly(demo, member, comments, publish_draft_2, query, status, field_or_code):
    """`version` is a version's id, as everywhere in the API; `version_number` its number."""
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    ids = {
        **{label: DraftVersion.objects.get(document__slug="constitution", number=number).pk for label, number in (("<draft 1>", 1), ("<baseline>", 0))},
        "<draft 2>": draft_2.pk,
        "<a law's>": DraftVersion.objects.exclude(document__slug="constitution").values_list("pk", flat=True).first() or 10**9,
    }
    answer = _api(member).get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {k: ids.get(v, v) for k, v in query.items()})
    assert answer.status_code == status
    assert field_or_code in answer.json()["fields"] or answer.json()["code"] == field_or_code


def test_suggestions_wait_for_the_comparison(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    Alignment.objects.filter(new_version=draft_2).update(status="running")
    answer = _api(member).get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version": draft_2.pk})
    assert answer.status_code == 409 and answer.json()["code"] == "comparison_not_ready"
    assert _api(member).get("/api/v1/concerns/424242/change-suggestions/", {"version": 2}).status_code == 404


def test_the_suggestions_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    operation = paths["/api/v1/concerns/{id}/change-suggestions/"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["version", "version_number"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"


def test_a_change_of_another_version_is_refused_and_nothing_is_saved(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    of_draft_1 = ProvisionChange.objects.filter(alignment__new_version__number=1, alignment__new_version__document__slug="constitution").first()
    answer = _api(member).post(
        f"/api/v1/concerns/{concern.pk}/decide/",
        {"status": "accepted", "rationale": "The ICCPR's grounds.", "resolved_in": draft_2.pk, "changes": [of_draft_1.pk]}, format="json",
    )
    assert answer.status_code == 400 and "changes" in answer.json()["fields"]
    concern.refresh_from_db()
    assert concern.status == "open" and not concern.changes.exists() and concern.resolved_in is None
    assert not Receipt.objects.filter(kind="decision").exists() and ConcernEvent.objects.filter(concern=concern).count() == 1


# --- the decision form and the concern's page -------------------------------------------------------------


def test_the_decision_form_offers_the_suggestions_checked_and_links_them(client, demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, lineages=[_v(1, "II/25")])
    draft_2 = publish_draft_2()
    modified = [c.pk for c in selectors.concern_change_suggestions(concern=concern, version=draft_2) if c.kind == "modified"]
    unchanged = [c.pk for c in selectors.concern_change_suggestions(concern=concern, version=draft_2) if c.kind == "unchanged"]
    client.force_login(member)
    url = f"/c/tarvania-2026/concerns/{concern.pk}/"
    page = client.get(url).content.decode()
    assert f'<option value="{draft_2.pk}" selected>Draft 2</option>' in page
    assert "<legend>Changes in Draft 2</legend>" in page
    for pk in modified:
        assert f'value="{pk}" id="change-choice-{pk}" checked aria-describedby="change-choice-{pk}-words"' in page
    for pk in unchanged:
        assert f'value="{pk}" id="change-choice-{pk}" aria-describedby' in page  # offered, not checked
    assert "<del> of the population, and spiritual and moral values</del><ins> and public morals</ins>" in page
    response = client.post(url + "decide/", {
        "status": "accepted", "rationale": "The ICCPR's grounds replace them.", "resolved_in": draft_2.pk, "changes": modified,
    })
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.resolved_in == draft_2 and sorted(concern.changes.values_list("pk", flat=True)) == sorted(modified)
    event = ConcernEvent.objects.filter(concern=concern).last()
    assert event.decision["changes"] == sorted(modified)

    client.logout()
    public = client.get(url).content.decode()
    assert "What changed in the words" in public and "Record the decision" not in public
    assert public.count('class="change kind-modified"') == 2
    assert "<del> of the population, and spiritual and moral values</del><ins> and public morals</ins>" in public
    assert 'href="/c/tarvania-2026/constitution/v2/p/II/25/1/"' in public and 'href="/c/tarvania-2026/constitution/v1/p/II/25/"' in public


def test_revising_a_decision_starts_from_the_changes_it_carries(client, demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, lineages=[_v(1, "II/25")])
    draft_2 = publish_draft_2()
    article = next(c for c in selectors.concern_change_suggestions(concern=concern, version=draft_2) if c.level == "article")
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="partially_accepted", rationale="In part.",
                            resolved_in_id=draft_2.pk, change_ids=[article.pk])
    client.force_login(member)
    page = client.get(f"/c/tarvania-2026/concerns/{concern.pk}/").content.decode()
    checked = [pk for pk in ProvisionChange.objects.filter(alignment__new_version=draft_2).values_list("pk", flat=True)
               if f'id="change-choice-{pk}" checked' in page]
    assert checked == [article.pk]


def test_a_change_not_offered_is_refused_on_the_form_and_nothing_is_saved(client, demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    elsewhere = ProvisionChange.objects.filter(alignment__new_version=draft_2, new_provisions__path="I/2").first()
    client.force_login(member)
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {
        "status": "accepted", "rationale": "Why.", "resolved_in": draft_2.pk, "changes": [elsewhere.pk],
    })
    page = response.content.decode()
    assert response.status_code == 400 and f"Select a valid choice. {elsewhere.pk} is not one of the available choices." in page
    assert f'id="change-choice-{elsewhere.pk}"' not in page
    concern.refresh_from_db()
    assert concern.status == "open" and not concern.changes.exists() and not Receipt.objects.filter(kind="decision").exists()


def test_changes_without_the_version_that_carries_them_are_refused(client, demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    [article, paragraph] = selectors.concern_change_suggestions(concern=concern, version=draft_2)
    client.force_login(member)
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {
        "status": "accepted", "rationale": "Why.", "resolved_in": "", "changes": [paragraph.pk],
    })
    assert response.status_code == 400 and "Name the version that carries the changes." in response.content.decode()
    assert Concern.objects.get(pk=concern.pk).status == "open"


def test_a_citizen_cannot_post_a_decision(client, demo, member, comments, make_participant, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    publish_draft_2()
    client.force_login(make_participant("Citizen"))
    page = client.get(f"/c/tarvania-2026/concerns/{concern.pk}/").content.decode()
    assert "change-choice" not in page
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {"status": "accepted", "rationale": "Why."})
    assert response.status_code == 403 and Concern.objects.get(pk=concern.pk).status == "open"


def test_the_form_says_when_a_comparison_is_not_computed(client, demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    Alignment.objects.filter(new_version=draft_2).update(status="pending")
    client.force_login(member)
    page = client.get(f"/c/tarvania-2026/concerns/{concern.pk}/").content.decode()
    assert "The comparison of Draft 1 and Draft 2 is not computed yet." in page and "change-choice-" not in page
