"""The real Kazakh case in the product (issue 12, point 7): `load_demo --corpora PATH` loads the 1995
Constitution (ru, kk, en) as version 0 and the 2026 one as version 1, aligned, and the comparison page
shows the real figures. The texts are read from ../shared/corpora; the test skips where they are absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from consult.models import Consultation
from consult.real_cases import KAZAKHSTAN_2026
from drafts.models import Alignment, DraftVersion

CORPORA_DIR = Path(os.environ.get("CORPORA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpora"))


@pytest.fixture
def corpora():
    if not (CORPORA_DIR / "kazakhstan").is_dir():
        pytest.skip(f"the corpora are not at {CORPORA_DIR}")
    return CORPORA_DIR


@pytest.mark.corpora
@pytest.mark.django_db(transaction=True)
def test_load_demo_with_the_corpora_loads_the_real_kazakh_comparison(corpora, celery_worker, client):
    call_command("load_demo", "--no-comments", "--no-next-draft", "--corpora", str(corpora))
    consultation = Consultation.objects.get(slug=KAZAKHSTAN_2026.slug)
    old, new = DraftVersion.objects.filter(document__slug=KAZAKHSTAN_2026.document_slug).order_by("number")
    assert (old.number, old.languages, new.number, new.languages) == (0, ["ru", "kk", "en"], 1, ["ru"])
    assert old.provisions.filter(kind="article").count() == 102 and new.provisions.filter(kind="article").count() == 96
    alignment = Alignment.objects.get(old_version=old, new_version=new)
    alignment.refresh_from_db()
    assert alignment.status == Alignment.Status.DONE, alignment.error
    paragraphs = next(level for level in alignment.figures["levels"] if level["level"] == "paragraph")
    share = paragraphs["changed_share"]
    assert 0.84 <= share <= 0.90, paragraphs  # the public said "over 84% changes compared to the existing text"
    page = client.get(f"/c/{consultation.slug}/{KAZAKHSTAN_2026.document_slug}/compare/v0-v1/?lang=ru")
    assert page.status_code == 200
    assert "What changed" in page.content.decode()
    call_command("load_demo", "--no-comments", "--no-next-draft", "--corpora", str(corpora))  # a second call changes nothing
    assert DraftVersion.objects.filter(document__slug=KAZAKHSTAN_2026.document_slug).count() == 2


@pytest.mark.django_db
def test_a_missing_corpora_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No corpora directory"):
        call_command("load_demo", "--no-comments", "--no-next-draft", "--no-admin", "--corpora", str(tmp_path / "nowhere"))
    (tmp_path / "kazakhstan").mkdir()
    with pytest.raises(CommandError, match="lack kazakhstan/kz_constitution_1995"):
        call_command("load_demo", "--no-comments", "--no-next-draft", "--no-admin", "--corpora", str(tmp_path))
    assert not Consultation.objects.filter(slug=KAZAKHSTAN_2026.slug).exists()
