"""The admin: upload with a preview before saving, publish, and published versions read-only."""
import io

import pytest

from drafts.models import DraftVersion, Provision
from tests.conftest import SMALL_CONSTITUTION_EN, SMALL_CONSTITUTION_RU

pytestmark = pytest.mark.django_db


def _file(name, text):
    file = io.BytesIO(text.encode())
    file.name = name
    return file


def test_upload_shows_a_preview_and_saves_nothing_until_confirmed(admin_client, document):
    url = f"/admin/drafts/document/{document.pk}/import/"
    preview = admin_client.post(
        url,
        {"file": _file("en.md", SMALL_CONSTITUTION_EN), "language": "en",
         "translation_1_file": _file("ru.md", SMALL_CONSTITUTION_RU), "translation_1_language": "ru", "label": "Draft 1"},
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview: nothing has been saved yet" in page
    assert "I/1/2/1" in page and "Testland is a democratic state." in page
    assert "8 of 13 provisions matched" in page
    assert not DraftVersion.objects.exists()

    saved = admin_client.post(url, {"token": preview.context["token"], "number": "", "label": "Draft 1"})
    version = DraftVersion.objects.get()
    assert saved.status_code == 302 and saved.url == f"/admin/drafts/draftversion/{version.pk}/change/"
    assert (version.status, version.label, version.languages) == ("preparing", "Draft 1", ["en", "ru"])
    assert version.provisions.count() == 13


def test_an_unparseable_upload_is_shown_with_its_line_and_nothing_saved(admin_client, document):
    response = admin_client.post(
        f"/admin/drafts/document/{document.pk}/import/", {"file": _file("memo.txt", "Dear all,\nsee attached.\n")}
    )
    assert response.status_code == 200
    assert "memo.txt: Line 1" in response.content.decode()
    assert not DraftVersion.objects.exists()


def test_an_expired_preview_asks_to_upload_again(admin_client, document):
    response = admin_client.post(f"/admin/drafts/document/{document.pk}/import/", {"token": "gone"}, follow=True)
    assert "The preview has expired" in response.content.decode()
    assert not DraftVersion.objects.exists()


def test_the_publish_action_leads_to_the_confirmation_page_and_publishes_nothing(admin_client, document, make_version):
    version = make_version(document, publish=False)
    response = admin_client.post("/admin/drafts/draftversion/", {"action": "publish_selected", "_selected_action": [version.pk]})
    assert response.status_code == 302 and response.url == f"/admin/consult/consultation/publish-version/{version.pk}/"
    other = make_version(document, publish=False)
    response = admin_client.post(
        "/admin/drafts/draftversion/", {"action": "publish_selected", "_selected_action": [version.pk, other.pk]}, follow=True
    )
    assert "Choose one version" in response.content.decode()
    assert not DraftVersion.objects.filter(status="published").exists()


def test_published_versions_and_their_provisions_are_read_only(admin_client, document, make_version):
    version = make_version(document)
    page = admin_client.get(f"/admin/drafts/draftversion/{version.pk}/change/").content.decode()
    assert 'name="label"' not in page and "Close" in page  # view-only form
    provision = version.provisions.get(path="I/2")
    page = admin_client.get(f"/admin/drafts/provision/{provision.pk}/change/").content.decode()
    assert "<textarea" not in page
    response = admin_client.post(f"/admin/drafts/draftversion/{version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Provision.objects.filter(version=version).count() == 13


def test_a_preparing_provision_is_corrected_through_the_service(admin_client, document, make_version):
    version = make_version(document, publish=False)
    before = version.content_hash
    provision = version.provisions.get(path="I/2")
    text = provision.texts.get()
    response = admin_client.post(
        f"/admin/drafts/provision/{provision.pk}/change/",
        {
            "texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "1", "texts-MIN_NUM_FORMS": "0", "texts-MAX_NUM_FORMS": "1000",
            "texts-0-id": text.pk, "texts-0-provision": provision.pk, "texts-0-language": "en",
            "texts-0-heading": "", "texts-0-text": "The capital is Newtown.",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert provision.texts.get().text == "The capital is Newtown." and version.content_hash != before


def test_the_admin_is_closed_to_citizens(client, citizen, document):
    client.force_login(citizen)
    response = client.get(f"/admin/drafts/document/{document.pk}/import/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_failed_alignment_shows_its_error_and_is_retried_from_the_review_page(admin_client, document, make_version, django_capture_on_commit_callbacks):
    from drafts.models import Alignment

    make_version(document)
    second = make_version(document, publish=False)
    Alignment.objects.filter(new_version=second).update(status="failed", attempts=3, error="MemoryError: out of memory")
    url = f"/admin/drafts/draftversion/{second.pk}/alignment/"
    page = admin_client.get(url).content.decode()
    assert "MemoryError: out of memory" in page and "3 attempts." in page and 'name="retry"' in page
    with django_capture_on_commit_callbacks() as queued:
        assert admin_client.post(url, {"retry": "1"}).status_code == 302
    assert Alignment.objects.get(new_version=second).status == "pending" and len(queued) == 1
    assert admin_client.post(url, {"retry": "1"}).status_code == 302  # pending now: refused with a message
    assert Alignment.objects.get(new_version=second).status == "pending"


# --- the alignment review -------------------------------------------------------------------------


@pytest.fixture
def second_aligned(document, make_version):
    from drafts import services
    from drafts.models import Alignment
    from tests.drafts.test_services_alignment import V1

    v2 = (
        V1.replace("The state is democratic.", "The state is democratic and secular.")
        .replace("The capital is Testville.", "The capital is Newtown.")
        + "\n### Article 5\n\nEveryone has the right to a fair trial.\n"
    )
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": v2}, publish=False)
    services.alignment_run(alignment_id=Alignment.objects.get(new_version=second).pk)
    return second


def _row_ids(page: str, after: str = "", before: str = "") -> list[str]:
    import re

    start = page.index(after) if after else 0
    end = page.index(before, start) if before and before in page[start:] else len(page)
    return re.findall(r'<tr id="change-(\d+)"', page[start:end])


def test_the_alignment_review_shows_texts_side_by_side_uncertain_first(admin_client, second_aligned):
    from drafts.models import ProvisionChange

    page = admin_client.get(f"/admin/drafts/draftversion/{second_aligned.pk}/alignment/").content.decode()
    changes = {c.pk: c for c in ProvisionChange.objects.filter(alignment__new_version=second_aligned).exclude(level="paragraph")}
    uncertain = [int(pk) for pk in _row_ids(page, "To review:", "Unchanged, same words:")]
    similarities = [changes[pk].similarity for pk in uncertain]
    assert similarities == sorted(similarities) and similarities[0] < 1
    assert "Everyone has the right to a fair trial." in page and "The capital is<del> Testville</del><ins> Newtown</ins>." in page
    assert "Everyone is equal before the law" in page  # the folded identical ones are there too
    identical = [int(pk) for pk in _row_ids(page, "Unchanged, same words:")]
    assert identical and all(changes[pk].kind == "unchanged" for pk in identical)
    assert set(uncertain).isdisjoint(identical)


def test_confirming_a_match_records_it_and_moves_it_out_of_the_review(admin_client, second_aligned, admin_user):
    from drafts.models import AlignmentCorrection, ProvisionChange

    url = f"/admin/drafts/draftversion/{second_aligned.pk}/alignment/"
    first = int(_row_ids(admin_client.get(url).content.decode(), "To review:")[0])
    before = ProvisionChange.objects.get(pk=first)
    olds, news = set(before.old_provisions.all()), set(before.new_provisions.all())
    assert admin_client.post(url, {"change": first, "confirm": "1"}).status_code == 302
    after = ProvisionChange.objects.get(pk=first)
    assert after.corrected_by == admin_user and after.kind == before.kind
    assert set(after.old_provisions.all()) == olds and set(after.new_provisions.all()) == news
    correction = AlignmentCorrection.objects.get(change=after)
    assert correction.before == correction.after
    page = admin_client.get(url).content.decode()
    assert str(first) not in _row_ids(page, "To review:", "Confirmed or corrected:")
    assert str(first) in _row_ids(page, "Confirmed or corrected:", "Unchanged, same words:")


def test_a_published_alignment_is_shown_without_forms_and_refuses_a_confirmation(admin_client, second_aligned):
    from drafts import services
    from drafts.models import AlignmentCorrection, ProvisionChange

    services.draft_version_publish(version=second_aligned, by=None)
    url = f"/admin/drafts/draftversion/{second_aligned.pk}/alignment/"
    page = admin_client.get(url).content.decode()
    assert "can no longer be corrected" in page and 'name="confirm"' not in page
    change = ProvisionChange.objects.filter(alignment__new_version=second_aligned).first()
    response = admin_client.post(url, {"change": change.pk, "confirm": "1"}, follow=True)
    assert "its alignment can no longer be corrected" in response.content.decode()
    assert not AlignmentCorrection.objects.exists()


def test_the_alignment_review_runs_a_fixed_number_of_queries(admin_client, second_aligned, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        admin_client.get(f"/admin/drafts/draftversion/{second_aligned.pk}/alignment/")


def test_a_version_label_is_given_in_each_interface_language_and_shown_read_only_once_published(admin_client, document, make_version):
    version = make_version(document, publish=False)
    url = f"/admin/drafts/draftversion/{version.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert all(f'name="label_in_{code}"' in page for code in ("kk", "ru", "en")) and "English (en)" in page
    response = admin_client.post(url, {"label": "Draft 1", "label_in_kk": "1-жоба", "label_in_ru": "Проект 1", "label_in_en": ""})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.label_translations == {"kk": "1-жоба", "ru": "Проект 1"}
    from drafts import services

    services.draft_version_publish(version=version, by=None)
    page = admin_client.get(url).content.decode()
    assert 'name="label_in_kk"' not in page and "1-жоба" in page
