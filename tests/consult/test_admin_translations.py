"""Languages are ticked, not typed as JSON; the title, description and version labels are given in each language
(config.translations) and a reader sees them in the language they read the site in."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from config.translations import translation_pick
from consult import services
from consult.models import Consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(db):
    return services.consultation_create(
        title="Constitutional reform", slug="reform", description="Read and comment.", languages=["kk", "ru", "en"],
        status=Consultation.Status.OPEN,
    )


def _form_data(response) -> dict:
    """What the admin's change page would post back unchanged: the main form and every inline's management form."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[subform.add_prefix(name)] = value
    return data


def test_the_languages_are_ticked_and_each_has_its_own_title_field(admin_client, consultation):
    page = admin_client.get(reverse("admin:consult_consultation_change", args=[consultation.pk])).content.decode()
    for code in ("kk", "ru", "en"):
        assert f'type="checkbox" name="languages" value="{code}"' in page
        assert f'name="title_in_{code}"' in page and f'name="description_in_{code}"' in page
    assert "Title in Kazakh" in page
    assert 'name="title_translations"' not in page and '["kk", "ru", "en"]' not in page


def test_the_admin_saves_ticked_languages_and_the_title_in_each(admin_client, consultation):
    url = reverse("admin:consult_consultation_change", args=[consultation.pk])
    data = _form_data(admin_client.get(url))
    data.update({"languages": ["kk", "ru"], "title_in_kk": "Конституциялық реформа", "title_in_ru": "  ",
                 "description_in_ru": "Читайте и комментируйте."})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation.refresh_from_db()
    assert consultation.languages == ["kk", "ru"]
    assert consultation.title_translations == {"kk": "Конституциялық реформа"}  # a blank one is left out
    assert consultation.description_translations == {"ru": "Читайте и комментируйте."}


def test_no_language_ticked_is_refused_in_words_and_saves_nothing(admin_client, consultation):
    url = reverse("admin:consult_consultation_change", args=[consultation.pk])
    data = _form_data(admin_client.get(url))
    data.pop("languages")
    data["title_in_kk"] = "Жаңа атау"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "Tick at least one language." in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.languages == ["kk", "ru", "en"] and consultation.title_translations == {}


def test_a_language_set_elsewhere_stays_offered(admin_client, consultation):
    consultation.languages = ["kk", "uk"]
    consultation.save()
    page = admin_client.get(reverse("admin:consult_consultation_change", args=[consultation.pk])).content.decode()
    assert 'value="uk"' in page and 'name="title_in_uk"' in page


def test_the_reader_sees_the_title_in_their_language_else_the_default(consultation):
    consultation.title_translations = {"kk": "Конституциялық реформа", "ru": "Конституционная реформа"}
    consultation.save()
    with translation.override("kk"):
        assert consultation.local_title == "Конституциялық реформа"
        assert consultation.local_description == "Read and comment."  # no Kazakh description: the default
    with translation.override("en"):
        assert consultation.local_title == "Constitutional reform"
    assert translation_pick("Draft 1", {"kk": "1-жоба"}, "kk-kz") == "1-жоба"
    assert translation_pick("Draft 1", {"kk": ""}, "kk") == "Draft 1"


def test_translations_that_are_not_language_and_text_are_refused(consultation):
    consultation.title_translations = {"xx": "?"}
    with pytest.raises(ValidationError) as raised:
        consultation.full_clean()
    assert "Not a language code: xx." in raised.value.message_dict["title_translations"]
    consultation.title_translations = ["kk"]
    with pytest.raises(ValidationError):
        consultation.full_clean()


@pytest.mark.parametrize(("language", "title"), [("kk", "Конституциялық реформа"), ("ru", "Constitutional reform")])
def test_the_public_pages_show_the_title_in_the_readers_language(client, consultation, language, title):
    consultation.title_translations = {"kk": "Конституциялық реформа"}
    consultation.description_translations = {"kk": "Оқыңыз және пікір қалдырыңыз."}
    consultation.save()
    client.cookies["django_language"] = language
    for url in (reverse("consultation-list"), reverse("consultation-detail", args=[consultation.slug])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert title in page, url
    detail = client.get(reverse("consultation-detail", args=[consultation.slug]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("Оқыңыз және пікір қалдырыңыз." in detail) == (language == "kk")


def test_the_reader_comparison_and_provision_pages_name_the_version_and_consultation_in_the_readers_language(client, demo):
    from consult.demo_data import CONSTITUTION_SLUG
    from drafts.models import DraftVersion

    Consultation.objects.filter(pk=demo.pk).update(title_translations={"kk": "Тарвания: конституциялық реформа"})
    # A translation of a published version's label is presentation, not its text: the immutability trigger allows it.
    DraftVersion.objects.filter(document__slug=CONSTITUTION_SLUG, number=1).update(label_translations={"kk": "1-жоба"})
    urls = [
        reverse("version-reader", args=[demo.slug, CONSTITUTION_SLUG, 1]),
        reverse("provision-detail", args=[demo.slug, CONSTITUTION_SLUG, 1, "II/25/1"]),
        reverse("comparison", args=[demo.slug, CONSTITUTION_SLUG, 0, 1]),
    ]
    for url in urls:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
        assert "Тарвания: конституциялық реформа" in page and "1-жоба" in page, url
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "1-жоба" not in page and "Draft 1" in page, url


def test_the_service_creates_a_consultation_with_its_translations_and_refuses_bad_ones():
    made = services.consultation_create(title="Reform", slug="reform-2", title_translations={"kk": "Реформа"})
    assert Consultation.objects.get(pk=made.pk).title_translations == {"kk": "Реформа"}
    with pytest.raises(ValidationError) as raised:
        services.consultation_create(title="Reform", slug="reform-3", description_translations={"kk-KZ": "…"})
    assert set(raised.value.message_dict) == {"description_translations"}
    assert not Consultation.objects.filter(slug="reform-3").exists()


def test_a_new_consultation_is_added_with_its_languages_ticked_and_a_title_in_each(admin_client):
    url = reverse("admin:consult_consultation_add")
    page = admin_client.get(url).content.decode()
    assert 'name="title_in_kk"' in page and 'value="kk" id="id_languages_0" checked' in page  # ticked by default
    data = {
        "title": "Reform", "slug": "reform-new", "description": "", "status": "draft", "languages": ["kk", "en"],
        "title_in_kk": "Реформа", "title_in_ru": "", "title_in_en": "",
        **{f"{prefix}-{key}": value for prefix in ("document_links", "phases", "memberships")
           for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()},
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    made = Consultation.objects.get(slug="reform-new")
    assert made.languages == ["kk", "en"] and made.title_translations == {"kk": "Реформа"}
