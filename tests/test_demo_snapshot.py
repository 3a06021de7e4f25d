"""The `demo` fixture's copy (tests/_demo_snapshot.py) is the state a real load leaves, or the real load is used."""
import dataclasses

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import connection, transaction

from consult.models import Consultation
from drafts.models import DraftVersion, Lineage, Provision
from tests import _demo_snapshot

pytestmark = pytest.mark.skipif(not _demo_snapshot.ENABLED, reason="DEMO_SNAPSHOT=0: the demo is loaded for real every time")


def _every_row():
    with connection.cursor() as cursor:
        return _demo_snapshot._rows(cursor, _demo_snapshot._tables(cursor))


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _fresh_snapshot():
    """Load the demo for real (capturing it) in a savepoint rolled back at once: what every table then held,
    and the consultation the load returned."""
    savepoint = transaction.savepoint()
    consultation = _demo_snapshot._capture_load()
    loaded = _every_row()
    transaction.savepoint_rollback(savepoint)
    assert _demo_snapshot._snapshot is not None
    return loaded, consultation


def _served(how):
    return _demo_snapshot.stats[how]


@pytest.mark.django_db
def test_the_copy_leaves_every_table_as_the_real_load_did():
    loaded, returned = _fresh_snapshot()
    restored = _served("restored")
    consultation = _demo_snapshot.demo_load()
    assert _served("restored") == restored + 1
    assert _every_row() == loaded  # every row of every table, as text: same ids, values, timestamps; nothing twice
    assert _fields(consultation) == _fields(returned)
    assert Provision.objects.filter(version__document__slug="constitution", version__number=1, path="II/25/1").exists()
    assert authenticate(username="admin", password="admin") is not None


@pytest.mark.django_db
def test_the_tests_own_rows_stay_and_new_rows_follow_the_copy():
    _fresh_snapshot()
    citizen = get_user_model().objects.create(username="before")
    consultation = _demo_snapshot.demo_load()
    get_user_model().objects.get(pk=citizen.pk)
    document = consultation.documents.get(slug="constitution")
    highest = max(row.pk for row in Lineage.objects.all())
    assert Lineage.objects.create(document=document).pk > highest  # the sequence is past the copied ids


@pytest.mark.django_db
def test_a_demo_admin_made_first_is_the_one_the_real_load_uses():
    _fresh_snapshot()
    admin = get_user_model().objects.create(username="admin", email="admin@example.org")
    present = _served("fallback:demo rows present")
    _demo_snapshot.demo_load()
    assert _served("fallback:demo rows present") == present + 1
    assert get_user_model().objects.get(username="admin").pk == admin.pk
    assert authenticate(username="admin", password="admin") is not None


@pytest.mark.django_db
def test_a_copied_id_already_taken_means_the_real_load():
    _fresh_snapshot()
    snapshot = _demo_snapshot._snapshot
    lineages = next(table for table in snapshot.tables if table.name == "drafts_lineage")
    with connection.cursor() as cursor:
        cursor.execute("SELECT (%s::drafts_lineage).id", [lineages.rows[0]])
        taken = cursor.fetchone()[0]
    from tests.factories import DocumentFactory

    Lineage.objects.create(pk=taken, document=DocumentFactory(slug="elsewhere"))
    failed = _served("fallback:insert failed")
    consultation = _demo_snapshot.demo_load()
    assert _served("fallback:insert failed") == failed + 1
    assert DraftVersion.objects.filter(document__consultations=consultation).count() == 3  # loaded for real, beside the test's row
    assert Lineage.objects.filter(pk=taken, document__slug="elsewhere").exists()


@pytest.mark.django_db
def test_an_old_copy_is_taken_again():
    _fresh_snapshot()
    snapshot = _demo_snapshot._snapshot
    _demo_snapshot._snapshot = dataclasses.replace(snapshot, taken_at=snapshot.taken_at - _demo_snapshot.MAX_AGE - 1)
    loaded = _served("loaded")
    _demo_snapshot.demo_load()
    assert _served("loaded") == loaded + 1 and _demo_snapshot._snapshot.taken_at > snapshot.taken_at


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_the_real_load():
    transactional = _served("fallback:transactional")
    consultation = _demo_snapshot.demo_load()
    assert _served("fallback:transactional") == transactional + 1
    assert Consultation.objects.get(pk=consultation.pk).documents.count() == 2
