"""Alignment stored, lineages handed on at publication, corrections audited, the comparison API."""
import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from config.errors import ApplicationError, InvalidState
from drafts import services
from drafts.models import Alignment, AlignmentCorrection, ProvisionChange

pytestmark = pytest.mark.django_db

V1 = """## Section I. General

### Article 1

1. The state is democratic.
2. Power belongs to the people.

### Article 2

The capital is Testville.

### Article 3

Everyone is equal before the law and the courts.

## Section II. Rights

### Article 4

Everyone has the right to life.
"""

V2 = """## Section I. General

### Article 1

1. The state is democratic and secular.
2. Power belongs to the people.

### Article 2

Everyone is equal before the law and the courts.

## Section II. Rights

### Article 3

Everyone has the right to life.

### Article 4

Everyone has the right to a fair trial.
"""


def _change(alignment, level, old_number=None, new_number=None):
    for change in alignment.changes.filter(level=level).prefetch_related("old_provisions", "new_provisions"):
        if old_number in [p.number for p in change.old_provisions.all()] or new_number in [p.number for p in change.new_provisions.all()]:
            return change
    return None


def test_importing_a_second_version_aligns_it_and_publishing_hands_lineages_on(document, make_version):
    first = make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(old_version=first, new_version=second)
    services.alignment_run(alignment_id=alignment.pk)
    alignment.refresh_from_db()
    assert alignment.status == "done" and alignment.progress == 1.0 and alignment.figures["old_words"] > 0
    kinds = {c.kind for c in alignment.changes.filter(level="article")}
    assert {"modified", "renumbered", "removed", "added"} <= kinds
    services.draft_version_publish(version=second, by=None)
    old = {p.number: p.lineage_id for p in first.provisions.filter(kind="article")}
    new = {p.number: p.lineage_id for p in second.provisions.filter(kind="article")}
    assert new["1"] == old["1"]  # modified
    assert new["2"] == old["3"]  # renumbered: equality before the law
    assert new["3"] == old["4"]  # renumbered: right to life
    assert new["4"] not in old.values()  # added
    assert second.provisions.get(path="I/1/2").lineage_id == first.provisions.get(path="I/1/2").lineage_id


def test_publishing_runs_an_alignment_that_never_ran(document, make_version):
    first = make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2})  # publish right away, no worker
    assert Alignment.objects.get(new_version=second).status == "done"
    assert second.provisions.get(path="I/1").lineage_id == first.provisions.get(path="I/1").lineage_id


def test_publishing_waits_for_an_alignment_a_live_worker_is_computing(document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    Alignment.objects.filter(new_version=second).update(status="running", progress=0.4, attempts=1, heartbeat_at=timezone.now())
    with pytest.raises(InvalidState) as error:
        services.draft_version_publish(version=second, by=None)
    assert error.value.code == "alignment_running" and "40%" in error.value.message
    second.refresh_from_db()
    assert second.status == "preparing" and Alignment.objects.get(new_version=second).status == "running"


def test_publishing_takes_over_an_alignment_whose_worker_died(document, make_version):
    first = make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    Alignment.objects.filter(new_version=second).update(
        status="running", progress=0.4, attempts=1, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    services.draft_version_publish(version=second, by=None)
    alignment = Alignment.objects.get(new_version=second)
    assert (alignment.status, alignment.attempts) == ("done", 2)
    assert second.provisions.get(path="I/1").lineage_id == first.provisions.get(path="I/1").lineage_id


def test_publishing_retries_a_failed_alignment(document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    Alignment.objects.filter(new_version=second).update(status="failed", attempts=3, error="MemoryError: ")
    services.draft_version_publish(version=second, by=None)
    alignment = Alignment.objects.get(new_version=second)
    assert (alignment.status, alignment.attempts, alignment.error) == ("done", 1, "")


def test_a_correction_is_applied_and_audited(document, make_version, admin_user):
    first = make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = services.alignment_run(alignment_id=Alignment.objects.get(new_version=second).pk)
    added = _change(alignment, "article", new_number="4")
    assert added.kind == "added"
    services.alignment_change_correct(change=added, actor=admin_user, kind="modified", old_paths=["II/4"], new_paths=["II/4"])
    corrected = ProvisionChange.objects.get(pk=added.pk)
    assert corrected.kind == "modified" and corrected.corrected_by == admin_user
    assert AlignmentCorrection.objects.get().before["kind"] == "added"
    # the old article 4 left its previous match (renumbered to new 3), which is now an addition
    assert _change(alignment, "article", new_number="3").kind == "added"
    services.draft_version_publish(version=second, by=admin_user)
    assert second.provisions.get(path="II/4").lineage_id == first.provisions.get(path="II/4").lineage_id


def test_corrections_are_refused_after_publication_and_for_bad_paths(document, make_version, admin_user):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = services.alignment_run(alignment_id=Alignment.objects.get(new_version=second).pk)
    change = alignment.changes.filter(level="article").first()
    with pytest.raises(ApplicationError) as error:
        services.alignment_change_correct(change=change, actor=admin_user, kind="modified", old_paths=["IX/99"], new_paths=["I/1"])
    assert error.value.code == "provision_not_found"
    with pytest.raises(ApplicationError):
        services.alignment_change_correct(change=change, actor=admin_user, kind="split", old_paths=["I/1"], new_paths=["I/1"])
    services.draft_version_publish(version=second, by=admin_user)
    with pytest.raises(InvalidState):
        services.alignment_change_correct(change=change, actor=admin_user, kind="modified", old_paths=["I/1"], new_paths=["I/1"])
    assert not AlignmentCorrection.objects.exists()


def test_demo_comparison_api_shows_the_changes(demo):
    api = APIClient().get("/api/v1/documents/constitution/comparison/", {"old": 0, "new": 1}).json()
    assert api["status"] == "done" and api["figures"]["definitions"]
    article_kinds = {c["kind"] for c in api["changes"] if c["level"] == "article"}
    assert {"unchanged", "modified", "renumbered", "moved", "split", "merged", "added", "removed"} == article_kinds
    split = next(c for c in api["changes"] if c["kind"] == "split" and c["level"] == "article")
    assert [p["number"] for p in split["old"]] == ["12"] and [p["number"] for p in split["new"]] == ["13", "14"]


def test_comparison_api_refuses_bad_pairs(demo):
    api = APIClient()
    assert api.get("/api/v1/documents/constitution/comparison/", {"old": 1, "new": 0}).status_code == 400
    assert api.get("/api/v1/documents/constitution/comparison/", {"old": 0, "new": 7}).status_code == 404
    assert api.get("/api/v1/documents/constitution/comparison/", {"old": "x"}).status_code == 400


def test_admin_reviews_and_corrects_the_alignment(admin_client, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = services.alignment_run(alignment_id=Alignment.objects.get(new_version=second).pk)
    page = admin_client.get(f"/admin/drafts/draftversion/{second.pk}/alignment/").content.decode()
    assert "Added" in page and "II/4" in page
    added = _change(alignment, "article", new_number="4")
    admin_client.post(f"/admin/drafts/draftversion/{second.pk}/alignment/", {"change": added.pk, "kind": "modified", "old_paths": "II/4", "new_paths": "II/4"})
    assert ProvisionChange.objects.get(pk=added.pk).kind == "modified"


def test_non_neighbour_versions_are_compared_by_following_lineages(demo, make_version):
    from tests.comments.test_carried_forward import draft_2_text

    make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})
    first = APIClient().get("/api/v1/documents/constitution/comparison/", {"old": 0, "new": 2})
    assert first.status_code == 202 and first.json()["status"] == "pending"  # requested when draft 2 was published
    services.alignment_run(alignment_id=Alignment.objects.get(old_version__number=0, new_version__number=2).pk)
    api = APIClient().get("/api/v1/documents/constitution/comparison/", {"old": 0, "new": 2}).json()
    assert api["status"] == "done"
    articles = [c for c in api["changes"] if c["level"] == "article"]
    by_new = {tuple(p["number"] for p in c["new"]): c for c in articles}
    assert by_new[("10",)]["kind"] == "moved" and [p["number"] for p in by_new[("10",)]["old"]] == ["9"]
    assert by_new[("12",)]["kind"] == "renumbered" and [p["number"] for p in by_new[("12",)]["old"]] == ["11"]
    assert by_new[("25",)]["kind"] == "modified"  # v0's restriction clause, through v1's, to v2's ICCPR grounds
    removed = sorted(p["number"] for c in articles if c["kind"] == "removed" for p in c["old"])
    assert {"28", "30"} <= set(removed)
    assert not any(c["kind"] in {"split", "merged"} for c in articles)  # lineages carry the continuing part only
    page = APIClient().get("/api/v1/documents/constitution/comparison/", {"old": 1, "new": 2}).json()
    assert page["status"] == "done" and page["figures"]["old_words_changed_share"] < api["figures"]["old_words_changed_share"]


def test_admin_sees_the_progress_of_a_running_alignment(admin_client, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    Alignment.objects.filter(new_version=second).update(status="running", progress=0.4, attempts=1)
    page = admin_client.get(f"/admin/drafts/draftversion/{second.pk}/alignment/").content.decode()
    assert 'http-equiv="refresh"' in page and '<progress max="100" value="40">' in page
    comparison = APIClient().get  # the public comparison of an unpublished version does not exist
    assert comparison("/api/v1/documents/testland/comparison/", {"old": 1, "new": 2}).status_code == 404


def test_the_comparison_api_only_reads_the_state_and_admins_request_it(demo, make_version, admin_user, citizen):
    from tests.comments.test_carried_forward import draft_2_text

    make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})
    Alignment.objects.filter(old_version__number=0, new_version__number=2).delete()
    url = "/api/v1/documents/constitution/comparison/"
    absent = APIClient().get(url, {"old": 0, "new": 2})
    assert absent.status_code == 409 and absent.json()["status"] == "not_requested"
    assert absent.json()["code"] == "comparison_not_requested" and "administrator can request" in absent.json()["message"]
    citizen_api, admin_api = APIClient(), APIClient()
    citizen_api.force_authenticate(citizen)
    admin_api.force_authenticate(admin_user)
    assert citizen_api.post(url, {"old": 0, "new": 2}).status_code == 403
    assert APIClient().post(url, {"old": 0, "new": 2}).status_code == 403
    assert not Alignment.objects.filter(old_version__number=0, new_version__number=2).exists()
    requested = admin_api.post(url, {"old": 0, "new": 2})
    assert requested.status_code == 202 and requested.json()["status"] == "pending"
    alignment = Alignment.objects.get(old_version__number=0, new_version__number=2)
    Alignment.objects.filter(pk=alignment.pk).update(status="failed", attempts=3, error="MemoryError: ")
    failed = APIClient().get(url, {"old": 0, "new": 2}).json()
    assert (failed["status"], failed["code"]) == ("failed", "comparison_failed") and "error" not in failed
    assert admin_api.get(url, {"old": 0, "new": 2}).json()["error"] == "MemoryError: "
    assert admin_api.post(url, {"old": 0, "new": 2}).json()["status"] == "pending"  # the retry
    assert Alignment.objects.get(pk=alignment.pk).attempts == 0
    done = admin_api.post(url, {"old": 0, "new": 1})  # a done comparison is left as it is
    assert done.status_code == 200 and done.json()["status"] == "done"
