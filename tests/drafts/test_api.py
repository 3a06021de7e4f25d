"""The drafts API: status codes, payloads, the admin-only writes, and bounded query counts."""
import io

import pytest
from rest_framework.test import APIClient

from drafts.models import DraftVersion, Provision
from tests.conftest import SMALL_CONSTITUTION_EN, SMALL_CONSTITUTION_RU

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.fixture
def citizen_api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def _upload(name, text):
    file = io.BytesIO(text.encode() if isinstance(text, str) else text)
    file.name = name
    return file


def test_documents_list_only_public_versions(api, document, make_version):
    make_version(document, number=0)
    make_version(document, publish=False)
    response = api.get("/api/v1/documents/")
    assert response.status_code == 200
    [payload] = response.json()["results"]
    assert payload["slug"] == "testland" and payload["authoritative_language"] == "en"
    assert [v["number"] for v in payload["versions"]] == [0]


def test_document_detail_and_unknown_document(api, document):
    assert api.get("/api/v1/documents/testland/").json()["title"] == "Constitution of Testland"
    response = api.get("/api/v1/documents/nope/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_versions_list_and_detail(api, document, make_version):
    version = make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    response = api.get("/api/v1/versions/", {"document": "testland"})
    assert response.status_code == 200
    [payload] = response.json()["results"]
    assert payload == api.get(f"/api/v1/versions/{version.pk}/").json()
    assert payload["status"] == "published" and payload["languages"] == ["en", "ru"]
    assert payload["provision_count"] == 13 and payload["content_hash"] == version.content_hash


def test_a_preparing_version_is_hidden_from_the_public_but_not_from_admins(api, admin_api, document, make_version):
    version = make_version(document, publish=False)
    assert api.get(f"/api/v1/versions/{version.pk}/").status_code == 404
    assert admin_api.get(f"/api/v1/versions/{version.pk}/").json()["status"] == "preparing"
    assert api.get("/api/v1/provisions/", {"version": version.pk}).json()["results"] == []


def test_version_tree_in_a_language_with_fallback(api, document, make_version):
    version = make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    tree = api.get(f"/api/v1/versions/{version.pk}/tree/", {"language": "ru"}).json()
    assert [n["path"] for n in tree] == ["preamble", "I", "II"]
    article_2 = tree[1]["children"][1]
    assert (article_2["kind"], article_2["number"], article_2["language"]) == ("article", "2", "ru")
    untranslated = tree[2]["children"][0]
    assert untranslated["is_fallback"] is True and untranslated["language"] == "en"


def test_provisions_flat_list_with_texts_and_filters(api, document, make_version):
    version = make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    response = api.get("/api/v1/provisions/", {"version": version.pk, "kind": "article"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [p["number"] for p in results] == ["1", "2", "3", "3-1"]
    assert results[1]["texts"]["ru"]["text"].startswith("Столица")
    assert results[1]["document"] == "testland" and results[1]["version_number"] == 1

    by_number = api.get("/api/v1/provisions/", {"version": version.pk, "kind": "article", "number": "3-1"}).json()
    assert [p["path"] for p in by_number["results"]] == ["II/3-1"]
    lineage = results[0]["lineage"]
    assert [p["id"] for p in api.get("/api/v1/provisions/", {"lineage": lineage}).json()["results"]] == [results[0]["id"]]


def test_provision_search_in_any_language(api, document, make_version):
    make_version(document, texts={"en": SMALL_CONSTITUTION_EN, "ru": SMALL_CONSTITUTION_RU})
    paths = [p["path"] for p in api.get("/api/v1/provisions/", {"search": "right life"}).json()["results"]]
    assert paths == ["II/3/1"]
    paths = [p["path"] for p in api.get("/api/v1/provisions/", {"search": "тествиль"}).json()["results"]]
    assert paths == ["I/2"]


def test_provisions_are_paginated_by_cursor(api, document, make_version):
    make_version(document)
    first = api.get("/api/v1/provisions/", {"page_size": 5}).json()
    assert len(first["results"]) == 5 and first["next"]
    second = api.get(first["next"]).json()
    assert second["results"][0]["order"] == 5


def test_invalid_filter_is_a_400_with_fields(api, document):
    response = api.get("/api/v1/provisions/", {"kind": "stanza"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "kind" in response.json()["fields"]


def test_admin_imports_a_version_with_translations(admin_api, document):
    response = admin_api.post(
        f"/api/v1/documents/{document.slug}/versions/",
        {"files": [_upload("en.md", SMALL_CONSTITUTION_EN), _upload("ru.md", SMALL_CONSTITUTION_RU)], "languages": ["en", "ru"], "label": "Draft 1"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    payload = response.json()
    assert (payload["status"], payload["number"], payload["languages"], payload["provision_count"]) == ("preparing", 1, ["en", "ru"], 13)


def test_import_of_a_bad_file_is_a_400_naming_the_line_and_saves_nothing(admin_api, document):
    response = admin_api.post(
        f"/api/v1/documents/{document.slug}/versions/",
        {"files": [_upload("notes.txt", "Dear commission,\nI have thoughts.\n")]},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unparseable" and "Line 1" in body["message"] and body["fields"]["files"]
    assert not DraftVersion.objects.exists()


def test_import_without_a_file_is_a_400(admin_api, document):
    response = admin_api.post(f"/api/v1/documents/{document.slug}/versions/", {}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()["fields"]


def test_admin_publishes_and_a_second_publish_is_a_409(admin_api, document, make_version, admin_user):
    version = make_version(document, publish=False)
    response = admin_api.post(f"/api/v1/versions/{version.pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    again = admin_api.post(f"/api/v1/versions/{version.pk}/publish/")
    assert again.status_code == 409 and again.json()["code"] == "not_preparing"
    version.refresh_from_db()
    assert version.published_by == admin_user


@pytest.mark.parametrize("who", ["anonymous", "citizen", "commission member"])
def test_writes_are_refused_to_everyone_but_admins(api, citizen_api, document, make_version, who):
    version = make_version(document, publish=False)
    if who == "anonymous":
        client = api
    elif who == "citizen":
        client = citizen_api
    else:
        from tests.factories import MembershipFactory

        client = APIClient()
        client.force_authenticate(MembershipFactory(role="chair").user)
    publish = client.post(f"/api/v1/versions/{version.pk}/publish/")
    upload = client.post(
        f"/api/v1/documents/{document.slug}/versions/", {"files": [_upload("en.md", SMALL_CONSTITUTION_EN)]}, format="multipart"
    )
    expected = {401, 403} if who == "anonymous" else {403}
    assert publish.status_code in expected and upload.status_code in expected
    assert publish.json()["code"] in {"not_authenticated", "permission_denied"}
    version.refresh_from_db()
    assert version.status == DraftVersion.Status.PREPARING and DraftVersion.objects.count() == 1


def test_read_endpoints_refuse_writes(api, admin_api, document, make_version):
    version = make_version(document)
    assert admin_api.delete(f"/api/v1/versions/{version.pk}/").status_code == 405
    provision = Provision.objects.first()
    assert admin_api.patch(f"/api/v1/provisions/{provision.pk}/", {"number": "9"}).status_code == 405


def _grow(document, make_version, articles):
    text = "## Section I. All\n\n" + "\n".join(
        f"### Article {n}\n\n1. One of {n}.\n2. Two of {n}.\n" for n in range(1, articles + 1)
    )
    return make_version(document, texts={"en": text})


@pytest.mark.parametrize("articles", [3, 80])
def test_list_endpoints_run_a_fixed_number_of_queries(api, document, make_version, django_assert_max_num_queries, articles):
    version = _grow(document, make_version, articles)
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/provisions/", {"version": version.pk, "page_size": 200}).status_code == 200
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/v1/versions/{version.pk}/tree/").status_code == 200
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/versions/").status_code == 200
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/documents/").status_code == 200


def test_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/provisions/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
