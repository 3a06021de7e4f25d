"""The import_draft command, on our own sample and on the real parallel texts of the 1995 Kazakh Constitution."""
import pytest
from django.core.management import CommandError, call_command

from drafts.models import Document, DraftVersion, Provision, ProvisionText
from tests.conftest import SMALL_CONSTITUTION_EN

pytestmark = pytest.mark.django_db


def test_import_creates_and_publishes(tmp_path, admin_user):
    text = tmp_path / "draft.md"
    text.write_text(SMALL_CONSTITUTION_EN)
    call_command("import_draft", "testland", "--create", "Constitution of Testland", "--file", f"en={text}", "--publish", "--by", admin_user.username)
    version = DraftVersion.objects.get(document__slug="testland")
    assert version.status == "published" and version.published_by == admin_user and version.provisions.count() == 13


def test_dry_run_saves_nothing(tmp_path):
    text = tmp_path / "draft.md"
    text.write_text(SMALL_CONSTITUTION_EN)
    call_command("import_draft", "testland", "--create", "Testland", "--file", str(text), "--dry-run")
    assert not DraftVersion.objects.exists()


def test_a_bad_file_is_a_command_error(tmp_path, document):
    text = tmp_path / "notes.txt"
    text.write_text("Nothing legal here.\n")
    with pytest.raises(CommandError, match="notes.txt: Line 1"):
        call_command("import_draft", document.slug, "--file", str(text))
    assert not DraftVersion.objects.exists()


def test_unknown_document_without_create(tmp_path):
    text = tmp_path / "draft.md"
    text.write_text(SMALL_CONSTITUTION_EN)
    with pytest.raises(CommandError, match="No document"):
        call_command("import_draft", "nope", "--file", str(text))


@pytest.mark.corpora
def test_the_three_parallel_kazakh_texts_import_as_one_version(corpora_dir):
    kz = corpora_dir / "kazakhstan"
    call_command(
        "import_draft", "kz-1995", "--create", "Constitution of the Republic of Kazakhstan", "--language", "ru",
        "--file", f"ru={kz / 'kz_constitution_1995_as_of_2023-01-01_ru.md'}",
        "--file", f"kk={kz / 'kz_constitution_1995_as_amended_kk.txt'}",
        "--file", f"en={kz / 'kz_constitution_1995_as_amended_en.txt'}",
        "--number", "0", "--publish",
    )
    version = DraftVersion.objects.get(document__slug="kz-1995")
    assert version.languages == ["ru", "kk", "en"]
    articles = Provision.objects.filter(version=version, kind="article")
    assert articles.count() == 102
    for language in ("kk", "en"):
        translated = ProvisionText.objects.filter(provision__in=articles, language=language).count()
        assert translated == 102, language
    article_2 = articles.get(number="2")
    texts = {t.language: t.text for t in ProvisionText.objects.filter(provision__parent=article_2, provision__number="1")}
    assert texts["ru"].startswith("Республика Казахстан является унитарным")
    assert texts["en"].startswith("The Republic of Kazakhstan")
    assert "Қазақстан Республикасы" in texts["kk"]
    assert Document.objects.get(slug="kz-1995").authoritative_language == "ru"


@pytest.mark.corpora
@pytest.mark.parametrize(
    ("path", "articles"),
    [
        ("kazakhstan/kz_constitution_2026_ru.md", 96),
        ("kazakhstan/kz_constitution_1995_as_of_2023-01-01_ru_adilet.pdf.pypdf.txt", 102),
        ("russia/ru_constitution_ed_2020-03-14.txt", 142),
        ("germany/de_grundgesetz_commit_2018-11-08.md", 200),
    ],
)
def test_real_constitutions_import_and_publish(corpora_dir, path, articles):
    file = corpora_dir / path
    language = {"kazakhstan": "ru", "russia": "ru", "germany": "de"}[path.split("/")[0]]
    call_command("import_draft", "real", "--create", "A real constitution", "--language", language, "--file", f"{language}={file}", "--publish")
    version = DraftVersion.objects.get(document__slug="real")
    assert version.status == "published"
    assert Provision.objects.filter(version=version, kind="article").count() == articles
