"""The OpenAPI schema documents every public field (issue 11, point 8): each property of each component has
a description and an example (config/api/openapi.py), and the schema is valid OpenAPI with no warnings."""
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from config.api.openapi import AutoSchema, field_examples

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        answer = APIClient().get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    return answer.json()


def _branches(prop: dict) -> list[dict]:
    """The property and the schemas it is made of (drf-spectacular writes a blank-allowed field as oneOf, an
    enum or a nested object with a description as allOf)."""
    return [prop, *(branch for key in ("oneOf", "anyOf", "allOf") for branch in prop.get(key, []))]


def _nested_object(prop: dict, components: dict) -> bool:
    """A nested serializer, or a list of them: its own component's properties carry their examples."""
    for branch in _branches(prop):
        reference = branch.get("$ref") or branch.get("items", {}).get("$ref")
        if reference and "properties" in components[reference.rsplit("/", 1)[-1]]:
            return True
    return False


def test_every_property_of_every_component_has_a_description_and_an_example(schema):
    components = schema["components"]["schemas"]
    assert len(components) > 50
    undocumented, without_example = [], []
    for name, component in components.items():
        for field, prop in component.get("properties", {}).items():
            if not prop.get("description"):
                undocumented.append(f"{name}.{field}")
            if not any("example" in branch for branch in _branches(prop)) and not _nested_object(prop, components):
                without_example.append(f"{name}.{field}")
    assert undocumented == [], "give these fields a help_text"
    assert without_example == [], "give these fields an example with @field_examples"


def test_every_parameter_of_every_operation_has_a_description(schema):
    undocumented = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in schema["paths"].items() for method, operation in operations.items()
        for parameter in operation.get("parameters", []) if not parameter.get("description")
    ]
    assert undocumented == [], "give these a help_text (a filter) or an OpenApiParameter description"


def test_the_examples_are_of_their_fields_kind(schema):
    """An example that does not fit its field would mislead a client: walk them against their types."""
    kinds = {"integer": int, "number": (int, float), "string": str, "boolean": bool, "array": list, "object": dict}
    wrong = []
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            for branch in _branches(prop):
                if "example" not in branch or "type" not in branch:
                    continue
                example, kind = branch["example"], kinds[branch["type"]]
                fits = (example is None and prop.get("nullable")) or (isinstance(example, kind) and not (kind is int and isinstance(example, bool)))
                if not fits or ("enum" in branch and example not in branch["enum"]):
                    wrong.append(f"{name}.{field}: {example!r}")
    assert wrong == []


def test_the_schema_is_valid_and_generated_without_warnings(db):
    """drf-spectacular's own check: the schema validates against the OpenAPI 3 specification, and nothing in
    the views or serializers made it guess (a guessed type is an undocumented one)."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stderr=io.StringIO())


def test_a_serializer_names_its_fields_examples_and_a_subclass_adds_to_them():
    from rest_framework import serializers

    @field_examples(id=3, title="Draft 1")
    class Parent(serializers.Serializer):
        id = serializers.IntegerField(help_text="Its id.")
        title = serializers.CharField(help_text="Its title.")

    @field_examples(title="Draft 2", number=2)
    class Child(Parent):
        number = serializers.IntegerField(help_text="Its number.")

    assert Parent.field_examples == {"id": 3, "title": "Draft 1"}
    assert Child.field_examples == {"id": 3, "title": "Draft 2", "number": 2}
    schema = AutoSchema()
    assert schema._get_serializer_field_meta(Child().fields["title"], "response") == {"description": "Its title.", "example": "Draft 2"}
    assert schema._get_serializer_field_meta(Parent().fields["title"], "response") == {"description": "Its title.", "example": "Draft 1"}


def test_the_comparison_answers_in_the_shape_its_schema_gives(schema, demo, admin_user):
    from drafts.models import Alignment

    def properties(name):
        return set(schema["components"]["schemas"][name]["properties"])

    url, pair = "/api/v1/documents/constitution/comparison/", {"old": 0, "new": 1}
    done = APIClient().get(url, pair).json()
    assert set(done) == properties("Comparison")
    assert set(done["figures"]) == properties("ComparisonFigures") and set(done["figures"]["levels"][0]) == properties("LevelFigures")
    assert set(done["sections"][0]) == properties("ComparisonSection") and set(done["changes"][0]) == properties("ComparisonChange")
    assert set(done["changes"][0]["old"][0] if done["changes"][0]["old"] else done["changes"][0]["new"][0]) == properties("ComparisonProvision")
    versions = {v["number"]: v["id"] for v in APIClient().get("/api/v1/versions/", {"document": "constitution"}).json()["results"]}
    assert (done["old_version"], done["new_version"]) == (versions[0], versions[1])
    Alignment.objects.filter(old_version__number=0, new_version__number=1).update(status="failed", attempts=3, error="MemoryError")
    admin = APIClient()
    admin.force_authenticate(admin_user)
    failed = admin.get(url, pair)
    assert failed.status_code == 409 and set(failed.json()) == properties("ComparisonUnavailable")
    assert set(APIClient().get(url, pair).json()) == properties("ComparisonUnavailable") - {"error", "attempts"}


@pytest.mark.parametrize(("component", "field"), [("Phase", "version"), ("Provision", "parent")])
def test_a_field_that_can_be_null_is_marked_nullable(schema, component, field):
    """A phase without a version and a top-level provision answer null: a client generated from the schema
    (or schemathesis, tests/api/test_fuzz.py) would otherwise refuse the answer."""
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_a_version_tree_is_documented_as_the_plain_list_it_is(schema):
    operation = schema["paths"]["/api/v1/versions/{id}/tree/"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert {parameter["name"] for parameter in operation["parameters"]} == {"id", "language"}


def test_a_correction_needs_no_field_it_does_not_change(schema):
    patch = schema["paths"]["/api/v1/comments/{id}/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert "required" not in schema["components"]["schemas"][patch["$ref"].rsplit("/", 1)[-1]]


def test_id_filters_are_integers(schema):
    parameters = {
        (path, parameter["name"]): parameter["schema"]
        for path in ("/api/v1/provisions/", "/api/v1/versions/", "/api/v1/comments/")
        for parameter in schema["paths"][path]["get"]["parameters"]
    }
    for key in [("/api/v1/provisions/", "version"), ("/api/v1/provisions/", "parent"), ("/api/v1/provisions/", "lineage"),
                ("/api/v1/comments/", "provision"), ("/api/v1/versions/", "number")]:
        assert parameters[key]["type"] == "integer", key


def test_the_provision_id_filters_match_and_refuse_what_is_not_an_id(demo):
    """The filters name the relation (not its "_id" column) so that drf-spectacular types them as integers."""
    client = APIClient()
    version = client.get("/api/v1/versions/", {"number": 1, "document": "constitution"}).json()["results"][0]["id"]
    provisions = client.get("/api/v1/provisions/", {"version": version, "page_size": 5}).json()["results"]
    assert provisions and {p["version"] for p in provisions} == {version}
    children = client.get("/api/v1/provisions/", {"parent": provisions[1]["id"]}).json()["results"]
    assert all(child["parent"] == provisions[1]["id"] for child in children)
    assert client.get("/api/v1/provisions/", {"lineage": provisions[0]["lineage"]}).json()["results"]
    refused = client.get("/api/v1/provisions/", {"version": "1.5"})
    assert refused.status_code == 400 and refused.json()["fields"] == {"version": ["Enter a whole number."]}



def test_the_length_limits_are_those_the_services_enforce(schema):
    """A client that keeps to the schema is not refused for length (and one that does not is told by it)."""
    from comments.concerns import services as concern_services
    from comments.models import BODY_MAX_LENGTH
    from comments.moderation import services as moderation

    components = schema["components"]["schemas"]

    def limit(component, field):
        return components[component]["properties"][field]["maxLength"]

    assert limit("CommentSubmitRequest", "body") == limit("CommentSubmitRequest", "proposed_wording") == BODY_MAX_LENGTH
    assert limit("PatchedCommentEditRequest", "body") == limit("PatchedCommentEditRequest", "proposed_wording") == BODY_MAX_LENGTH
    assert limit("ReportReasonRequest", "reason") == moderation.REPORT_REASON_MAX_LENGTH
    assert limit("ReasonRequest", "reason") == moderation.MODERATION_REASON_MAX_LENGTH
    assert limit("ConcernCreateRequest", "title") == limit("SplitRequest", "title") == concern_services.TITLE_MAX_LENGTH
    assert limit("DecisionRequest", "rationale") == limit("MergeRequest", "reason") == concern_services.RATIONALE_MAX_LENGTH
    assert limit("NoAnswerRequest", "reason") == concern_services.NO_ANSWER_REASON_MAX_LENGTH
