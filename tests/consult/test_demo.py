"""The demo consultation that `make run` loads: what the issue asks of it."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language_info

from config.errors import InvalidState
from consult.demo_data import DEMO_DIR, demo_consultation_load, demo_next_draft_publish
from consult.models import Consultation, Phase
from consult.services import phase_close
from drafts.models import Alignment, DraftVersion, Provision, ProvisionText
from drafts.parser.flat import flatten, match_translations
from drafts.parser.language import detect_language
from drafts.parser.parse import parse_text

pytestmark = pytest.mark.django_db


def test_demo_has_a_baseline_and_a_published_draft_in_the_consultations_three_languages(demo):
    constitution = demo.documents.get(slug="constitution")
    versions = {v.number: v for v in constitution.versions.all()}
    assert set(versions) == {0, 1}
    assert versions[0].status == versions[1].status == DraftVersion.Status.PUBLISHED
    assert versions[0].languages == ["en", "kk"] and versions[1].languages[0] == "en"
    assert set(versions[1].languages) == set(demo.languages) == {"kk", "ru", "en"}
    articles = Provision.objects.filter(version=versions[1], kind="article").count()
    assert 35 <= articles <= 60
    total = versions[1].provisions.count()
    assert ProvisionText.objects.filter(provision__version=versions[1], language="kk").count() == total
    russian = ProvisionText.objects.filter(provision__version=versions[1], language="ru")
    # The Russian translation covers Sections I and II (the preamble and articles 1 to 25), part of the draft.
    assert 0 < russian.count() < total
    assert {t.provision.path for t in russian.filter(provision__kind="article")} == {
        f"{'I' if n <= 10 else 'II'}/{n}" for n in range(1, 26)
    }


@pytest.mark.parametrize("number", [0, 1, 2])
def test_the_kazakh_text_has_the_english_structure_and_is_kazakh(number):
    """Parsed alone, each Kazakh file has the provisions of the English one, with its headings as Kazakh numbers
    them ("I бөлім", "1-бап", "14-1-бап"), so that the import aligns the languages."""
    kk = flatten(parse_text((DEMO_DIR / f"constitution_v{number}.kk.md").read_text()))
    en = flatten(parse_text((DEMO_DIR / f"constitution_v{number}.en.md").read_text()))
    assert [(p.path, p.kind, p.number) for p in kk] == [(p.path, p.kind, p.number) for p in en]
    assert len(match_translations(en, kk)) == len(kk)
    assert all(detect_language(p.text) == "kk" for p in kk if len(p.text) > 80)


def test_the_referendum_law_is_in_kazakh_in_full(demo):
    law = DraftVersion.objects.get(document__slug="referendum-law", number=1)
    assert law.languages == ["en", "kk"]
    assert ProvisionText.objects.filter(provision__version=law, language="kk").count() == law.provisions.count()
    chapter = ProvisionText.objects.get(provision__version=law, provision__path="2", language="kk")
    assert chapter.heading == "Референдумға бастамашылық жасау, оны тағайындау және ұйымдастыру"
    grounds = ProvisionText.objects.get(provision__version=law, provision__path="1/3/1/4", language="kk").text
    assert grounds.startswith("Конституцияның 12, 15 және 16-баптарында")


def test_the_reader_offers_kazakh_with_the_kazakh_text(demo, client):
    page = client.get(f"/c/{demo.slug}/constitution/v1/?lang=kk").content.decode()
    assert "Тарвания Республикасы – демократиялық, зайырлы, әлеуметтік және құқықтық мемлекет" in page
    assert "Адамның құқықтары, бостандықтары және міндеттері" in page and "Республика Президенті" in page
    assert "not translated" not in page  # the whole draft is in Kazakh
    page = client.get(f"/c/{demo.slug}/constitution/v1/?lang=ru").content.decode()
    # In Russian, Section III onwards is not translated: the English text is shown there, marked as such.
    assert "The President of the Republic" in page and "not translated" in page
    article = client.get(f"/c/{demo.slug}/constitution/v1/p/I/1/?lang=ru").content.decode()
    assert f'hreflang="kk">{get_language_info("kk")["name_local"]}</a>' in article


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


# --- draft 2: the commission's next draft (demo_next_draft_publish; its decisions are comments.demo_data's) ---

CHANGES_V2 = DEMO_DIR / "CHANGES_v2.md"


def _ground_truth_v2() -> dict[str, set[tuple[str, tuple[str, ...], tuple[str, ...]]]]:
    """CHANGES_v2.md's arrows, by level: {(kind, v1 paths, v2 paths)}; whatever is not listed is unchanged."""
    truth: dict[str, set] = {"article": set(), "paragraph": set()}
    level = None
    for line in CHANGES_V2.read_text().splitlines():
        if line.startswith("## "):
            level = {"## Articles": "article", "## Paragraphs": "paragraph"}.get(line)
        match = re.fullmatch(r"(?:v1 (\S+) )?-> (?:v2 (\S+))?: (\w+)", line.strip())
        if match and level:
            old, new, kind = match.groups()
            truth[level].add((kind, (old,) if old else (), (new,) if new else ()))
    return truth


def _changes(alignment, level):
    return {
        (change.kind, tuple(p.path for p in change.old_provisions.all()), tuple(p.path for p in change.new_provisions.all()))
        for change in alignment.changes.filter(level=level).exclude(kind="unchanged").prefetch_related("old_provisions", "new_provisions")
    }


def test_draft_2_is_published_aligned_with_draft_1_as_its_ground_truth_says(demo):
    draft_2 = demo_next_draft_publish(consultation=demo)
    constitution = demo.documents.get(slug="constitution")
    versions = {v.number: v for v in constitution.versions.all()}
    assert versions[1].status == "superseded" and draft_2.status == "published" and set(draft_2.languages) == {"en", "kk", "ru"}
    alignment = Alignment.objects.get(old_version=versions[1], new_version=draft_2)
    assert alignment.status == "done"
    truth = _ground_truth_v2()
    assert len(truth["article"]) == 5 and len(truth["paragraph"]) == 6
    assert _changes(alignment, "article") == truth["article"]
    assert _changes(alignment, "paragraph") == truth["paragraph"]
    assert not alignment.changes.filter(level="container").exclude(kind="unchanged").exists()
    paragraph = ProvisionText.objects.get(provision__version=draft_2, provision__path="II/25/1", language="en").text
    assert "national security, public order, public health or morals, or the rights and freedoms of others" in paragraph
    texts = ProvisionText.objects.filter(text__icontains="spiritual and moral values")
    assert {t.provision.version.number for t in texts} == {1}  # gone from draft 2, in English
    assert not ProvisionText.objects.filter(provision__version=draft_2, text__icontains="духовно-нравственных").exists()
    assert ProvisionText.objects.filter(provision__version=draft_2, language="ru", provision__path="II/21/1", text__startswith="Каждый").exists()
    assert ProvisionText.objects.filter(provision__version=draft_2, language="kk", provision__path="II/21/1", text__startswith="Әркімнің").exists()
    assert ProvisionText.objects.filter(provision__version=draft_2, language="kk", provision__path="II/13/2", text__contains="қырық сегіз сағат").exists()


def test_after_draft_2_its_comment_phase_is_open_and_draft_1s_closed(demo, client):
    draft_2 = demo_next_draft_publish(consultation=demo)
    phases = {phase.version.number: phase for phase in demo.phases.filter(kind=Phase.Kind.COMMENT, version__document__slug="constitution")}
    assert not phases[1].is_open() and phases[1].closes_at == phases[2].opens_at
    assert phases[2].is_open() and phases[2].version == draft_2
    # 30 days from the moment it opened: the demo reads the clock just before the publish service does.
    assert datetime.timedelta(days=30) - datetime.timedelta(seconds=1) < phases[2].closes_at - phases[2].opens_at <= datetime.timedelta(days=30)
    assert demo.phases.get(version__document__slug="referendum-law").is_open()  # the law's phase is not touched
    page = client.get(f"/c/{demo.slug}/").content.decode()
    assert "comment on draft 2" in page and "comment on draft 1 of the new Constitution" not in page
    draft_1_phase = re.search(r'<li class="phase phase-(\w+)">\s*<strong>Public comment on draft 1', page)
    draft_2_phase = re.search(r'<li class="phase phase-(\w+)">\s*<strong>Public comment on draft 2', page)
    assert draft_1_phase.group(1) == "closed" and draft_2_phase.group(1) == "open"


def test_publishing_draft_2_again_changes_nothing(demo):
    first = demo_next_draft_publish(consultation=demo)
    counts = (DraftVersion.objects.count(), Phase.objects.count(), Alignment.objects.count(), Provision.objects.count())
    assert demo_next_draft_publish(consultation=demo) == first
    assert (DraftVersion.objects.count(), Phase.objects.count(), Alignment.objects.count(), Provision.objects.count()) == counts


def test_closing_a_phase_early(demo):
    phase = demo.phases.get(kind=Phase.Kind.COMMENT, version__document__slug="constitution")
    at = timezone.now()
    closed = phase_close(phase=phase, at=at)
    phase.refresh_from_db()
    assert closed.closes_at == phase.closes_at == at and not phase.is_open()


def test_a_closed_phase_is_not_closed_again_nor_one_closed_before_it_opens(demo):
    phase = demo.phases.get(kind=Phase.Kind.COMMENT, version__document__slug="constitution")
    closes_at = phase.closes_at
    with pytest.raises(ValidationError) as error:
        phase_close(phase=phase, at=phase.opens_at - datetime.timedelta(hours=1))
    assert "closes_at" in error.value.message_dict
    review = demo.phases.get(kind=Phase.Kind.REVIEW)
    with pytest.raises(ValidationError):
        phase_close(phase=review)  # it has not opened yet: it cannot close before it opens
    phase.refresh_from_db()
    assert phase.closes_at == closes_at
    phase_close(phase=phase)
    ended = Phase.objects.get(pk=phase.pk).closes_at
    with pytest.raises(InvalidState) as error:
        phase_close(phase=phase)
    assert error.value.code == "phase_closed" and error.value.status == 409
    assert Phase.objects.get(pk=phase.pk).closes_at == ended
