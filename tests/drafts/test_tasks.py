"""The alignment of a new version is computed by a real Celery worker, with its progress on the row."""
import pytest

from drafts.models import Alignment
from tests.conftest import wait_for
from tests.drafts.test_services_alignment import V1, V2

pytestmark = pytest.mark.django_db(transaction=True)


def test_importing_a_version_has_the_worker_align_it(celery_worker, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(new_version=second)
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done")
    alignment.refresh_from_db()
    assert alignment.progress == 1.0 and alignment.changes.filter(level="article").exists()
    assert alignment.started_at <= alignment.finished_at
