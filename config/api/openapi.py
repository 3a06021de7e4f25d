"""The API's OpenAPI schema: drf-spectacular's, with an example beside every field's description.

drf-spectacular describes a field by its `help_text`, but has no place for one field's example: DRF refuses
unknown field arguments, and drf-spectacular's maintainers chose whole-object examples
(tfranzel/drf-spectacular#767). Whole objects are a poor fit for the many serializers that share fields, and
they would have to be kept in step with every field by hand. So a serializer names its fields' examples
with `@field_examples`, next to the fields, and AutoSchema puts each example on its property, where Swagger
UI and ReDoc show it beside the description. tests/config/test_openapi.py holds every public field to it.
"""
from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import get_view_model


def field_examples(**examples):
    """Class decorator of a serializer: the example value of each of the named fields, as it appears in JSON.
    A subclass adds to (or overrides) its parent's."""

    def decorate(serializer_class):
        serializer_class.field_examples = {**getattr(serializer_class, "field_examples", {}), **examples}
        return serializer_class

    return decorate


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, which also gives each serializer field its `@field_examples` example, and the
    path parameter that names a view's object ("/concerns/{id}/") a description ("The concern's id.")."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        examples = getattr(field.parent, "field_examples", {})
        if field.field_name in examples:
            meta["example"] = examples[field.field_name]
        return meta

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        lookup = getattr(self.view, "lookup_url_kwarg", None) or getattr(self.view, "lookup_field", None)
        lookup = "id" if lookup == "pk" else lookup  # drf-spectacular writes a {pk} as {id}
        for parameter in parameters:
            if model is not None and parameter["name"] == lookup and not parameter.get("description"):
                parameter["description"] = f"The {model._meta.verbose_name}'s {lookup}."
        return parameters
