"""Publishing, and the immutability of what was published."""
import pytest
from django.db import DatabaseError, connection, transaction

from config.errors import InvalidState
from drafts import services
from drafts.models import DraftVersion, Provision, ProvisionText
from tests.conftest import SMALL_CONSTITUTION_EN

pytestmark = pytest.mark.django_db


def test_publish_freezes_the_version(document, make_version, admin_user):
    version = make_version(document, publish=False)
    published = services.draft_version_publish(version=version, by=admin_user)

    published.refresh_from_db()
    assert published.status == DraftVersion.Status.PUBLISHED
    assert published.published_by == admin_user and published.published_at is not None
    assert published.content_hash == version.content_hash


def test_only_a_preparing_version_can_be_published(document, make_version, admin_user):
    version = make_version(document)
    published_at = version.published_at
    with pytest.raises(InvalidState) as error:
        services.draft_version_publish(version=version, by=admin_user)
    assert error.value.code == "not_preparing"
    version.refresh_from_db()
    assert version.published_at == published_at and version.published_by is None


def test_a_new_draft_supersedes_the_previous_draft_but_not_the_baseline(document, make_version):
    baseline = make_version(document, number=0)
    first = make_version(document)
    second = make_version(document)
    statuses = dict(DraftVersion.objects.values_list("number", "status"))
    assert statuses == {0: "published", 1: "superseded", 2: "published"}
    assert (baseline.number, first.number, second.number) == (0, 1, 2)


def test_publishing_an_older_draft_after_a_newer_one_is_refused_and_changes_nothing(document, make_version, admin_user):
    first = make_version(document, publish=False)
    second = make_version(document, texts={"en": SMALL_CONSTITUTION_EN.replace("Testville", "Newtown")}, publish=False)
    services.draft_version_publish(version=second, by=admin_user)
    with pytest.raises(InvalidState) as error:
        services.draft_version_publish(version=first, by=admin_user)
    assert error.value.code == "newer_version_published"
    assert "Draft 2 is already published" in error.value.message and "Draft 1" in error.value.message
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.published_at, second.status) == ("preparing", None, "published")


def test_publishing_a_draft_requests_its_comparison_with_every_earlier_version(document, make_version, django_capture_on_commit_callbacks):
    from drafts.models import Alignment

    make_version(document, number=0)
    make_version(document)
    draft_2 = make_version(document, publish=False)
    with django_capture_on_commit_callbacks() as queued:
        services.draft_version_publish(version=draft_2, by=None)
    pairs = sorted(Alignment.objects.filter(new_version=draft_2).values_list("old_version__number", "status"))
    assert pairs == [(0, "pending"), (1, "done")] and len(queued) == 1


def test_a_published_provision_cannot_be_edited_through_the_service(document, make_version):
    version = make_version(document)
    provision = version.provisions.get(path="I/2")
    with pytest.raises(InvalidState) as error:
        services.provision_text_update(provision=provision, language="en", heading="", text="Rewritten.")
    assert error.value.code == "version_immutable"
    assert ProvisionText.objects.get(provision=provision).text == "The capital of Testland is Testville."


def test_a_preparing_provision_can_be_corrected_and_the_hash_follows(document, make_version):
    version = make_version(document, publish=False)
    before = version.content_hash
    provision = version.provisions.get(path="I/2")
    services.provision_text_update(provision=provision, language="en", heading="", text="The capital is Newtown.")
    version.refresh_from_db()
    assert version.content_hash != before
    assert ProvisionText.objects.get(provision=provision).text == "The capital is Newtown."


def test_a_published_version_cannot_be_deleted(document, make_version):
    version = make_version(document)
    with pytest.raises(InvalidState):
        services.draft_version_delete(version=version)
    assert Provision.objects.filter(version=version).count() == 13


def test_a_preparing_version_can_be_discarded(document, make_version):
    version = make_version(document, publish=False)
    services.draft_version_delete(version=version)
    assert not DraftVersion.objects.exists() and not Provision.objects.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE drafts_provisiontext SET text = 'forged' WHERE provision_id = %(provision)s",
        "DELETE FROM drafts_provisiontext WHERE provision_id = %(provision)s",
        "UPDATE drafts_provision SET number = '99' WHERE id = %(provision)s",
        "DELETE FROM drafts_provision WHERE id = %(provision)s",
        "UPDATE drafts_draftversion SET content_hash = 'forged' WHERE id = %(version)s",
        "DELETE FROM drafts_draftversion WHERE id = %(version)s",
    ],
)
def test_the_database_refuses_to_change_a_published_version(document, make_version, statement):
    """Even a write that bypasses the services (a script, a bug, the admin shell) is refused by PostgreSQL."""
    version = make_version(document)
    provision = version.provisions.get(path="I/2")
    with pytest.raises(DatabaseError, match="published"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, {"provision": provision.pk, "version": version.pk})
    assert ProvisionText.objects.get(provision=provision).text == "The capital of Testland is Testville."
