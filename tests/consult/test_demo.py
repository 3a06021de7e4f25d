"""The demo consultation that `make run` loads: what the issue asks of it."""
import pytest

from consult.demo_data import demo_consultation_load
from consult.models import Consultation, Phase
from drafts.models import DraftVersion, Provision, ProvisionText

pytestmark = pytest.mark.django_db


def test_demo_has_a_baseline_and_a_published_draft_in_two_languages(demo):
    constitution = demo.documents.get(slug="constitution")
    versions = {v.number: v for v in constitution.versions.all()}
    assert set(versions) == {0, 1}
    assert versions[0].status == versions[1].status == DraftVersion.Status.PUBLISHED
    assert versions[0].languages == ["en"] and versions[1].languages == ["en", "ru"]
    articles = Provision.objects.filter(version=versions[1], kind="article").count()
    assert 35 <= articles <= 60
    ru = ProvisionText.objects.filter(provision__version=versions[1], language="ru").count()
    total = versions[1].provisions.count()
    assert 0 < ru < total  # the Russian translation covers part of the draft


def test_spiritual_and_moral_values_appear_in_draft_1_only(demo):
    texts = ProvisionText.objects.filter(language="en", text__icontains="spiritual and moral values")
    assert {t.provision.version.number for t in texts} == {1}


def test_demo_comment_phase_is_open_on_draft_1(demo):
    phase = demo.phases.get(kind=Phase.Kind.COMMENT, version__document__slug="constitution")
    assert phase.is_open() and phase.version.number == 1
    assert demo.status == Consultation.Status.OPEN


def test_loading_twice_changes_nothing(demo):
    again = demo_consultation_load(admin_password="admin")
    assert again.pk == demo.pk and Consultation.objects.count() == 1 and DraftVersion.objects.count() == 3
