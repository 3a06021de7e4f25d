"""A comment's language is the language it is written in: any text language (drafts.languages), not only the interface's."""
import pytest

from comments import services
from comments.models import Comment
from config.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["kk", "de", "uk", "fr"])
def test_a_comment_may_be_written_in_any_text_language(aigerim, draft_provision, language):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="…", stance="question", language=language)
    assert Comment.objects.get(pk=comment.pk).language == language


@pytest.mark.parametrize("language", ["xx", "ukr", "", "en-GB"])
def test_a_comment_in_no_known_language_is_refused(aigerim, draft_provision, language):
    with pytest.raises(ApplicationError) as error:
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="…", stance="question", language=language)
    assert set(error.value.fields) == {"language"} and not Comment.objects.exists()


def test_a_comment_page_in_ukrainian_is_named(client, aigerim, draft_provision):
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Слава.", stance="support", language="uk")
    page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert '<div class="comment-body" lang="uk">' in page
