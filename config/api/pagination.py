from __future__ import annotations

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from urllib import parse

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.pagination import (
    BasePagination,
    CursorPagination,
    PageNumberPagination,
)
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.errors import ApplicationError


RESULTS_DESCRIPTION = "This page's items."
NEXT_DESCRIPTION = "The link to the next page; null on the last."
PREVIOUS_DESCRIPTION = "The link to the previous page; null on the first."


def _documented(schema: dict, **described: tuple[str, object]) -> dict:
    """DRF's schema of a page with each named property's description and example (the API documents every field)."""
    properties = schema["properties"]
    for name, (description, example) in described.items():
        properties[name] = {**properties[name], "description": description, "example": example}
    properties["results"] = {**properties["results"], "description": RESULTS_DESCRIPTION}
    return schema


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        return _documented(
            super().get_paginated_response_schema(schema),
            count=("How many items there are on all pages.", 123),
            next=(NEXT_DESCRIPTION, "http://api.example.org/accounts/?page=4"),
            previous=(PREVIOUS_DESCRIPTION, "http://api.example.org/accounts/?page=2"),
        )


class IdCursorPagination(CursorPagination):
    """Keyset pagination in insertion order: constant cost however deep the page."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema):
        return _documented(
            super().get_paginated_response_schema(schema),
            next=(NEXT_DESCRIPTION, "http://api.example.org/accounts/?cursor=cD00ODY%3D"),
            previous=(PREVIOUS_DESCRIPTION, "http://api.example.org/accounts/?cursor=cj0xJnA9NDg3"),
        )


@dataclass(frozen=True)
class KeysetPage:
    """A page as a selector cut it: its rows, and the positions to read on after it and back before it
    (None at either end). Positions are the selector's own strings; this module only carries them."""

    items: list
    next_position: str | None
    previous_position: str | None


class KeysetPagination(BasePagination):
    """Pages that a selector cuts (subclasses implement `page`), in DRF's cursor shape: {"next", "previous",
    "results"}, the position carried in an opaque `cursor` parameter (base64 of "p=<position>", "&r=1" to
    read backwards).

    Why not DRF's CursorPagination: it positions on the first ordering field only, so an order with more
    ties than a page (1,300 comments at 0 endorsements) repeats rows and its `next` never ends. A selector's
    position names every field of its order.

    A cursor that cannot be read is answered 400 (code invalid_cursor), as the selectors answer a position
    they did not give: read as the first page, it would send a client walking the pages round forever.
    """

    cursor_query_param = "cursor"
    cursor_query_description = gettext_lazy("The pagination cursor value: take it from a `next` or `previous` link.")
    page_size = 20
    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("Number of results to return per page.")
    max_page_size = 200

    def page(self, queryset, *, request, position: str | None, backwards: bool, limit: int) -> KeysetPage:
        raise NotImplementedError

    def paginate_queryset(self, queryset, request, view=None):
        self.base_url = request.build_absolute_uri()
        position, backwards = self.decode_cursor(request.query_params.get(self.cursor_query_param))
        page = self.page(queryset, request=request, position=position, backwards=backwards, limit=self.get_page_size(request))
        self.next_link = self._link(page.next_position, backwards=False)
        self.previous_link = self._link(page.previous_position, backwards=True)
        return page.items

    def get_page_size(self, request) -> int:
        """As DRF's pagination classes: a page_size that is not a positive whole number is ignored."""
        try:
            size = int(request.query_params[self.page_size_query_param])
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def decode_cursor(self, encoded: str | None) -> tuple[str | None, bool]:
        if encoded is None:
            return None, False
        try:
            tokens = parse.parse_qs(urlsafe_b64decode(encoded.encode("ascii")).decode("ascii"), strict_parsing=True)
            (position,) = tokens["p"]
            backwards = tokens.get("r", ["0"]) == ["1"]
        except (binascii.Error, UnicodeError, ValueError, KeyError):
            message = _("This page link is not valid. Start again from the first page.")
            raise ApplicationError(message, code="invalid_cursor", fields={self.cursor_query_param: [message]}) from None
        return position, backwards

    def encode_cursor(self, position: str, *, backwards: bool) -> str:
        tokens = {"p": position, **({"r": "1"} if backwards else {})}
        return urlsafe_b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")

    def _link(self, position: str | None, *, backwards: bool) -> str | None:
        if position is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, self.encode_cursor(position, backwards=backwards))

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": NEXT_DESCRIPTION, "example": f"http://api.example.org/comments/?{self.cursor_query_param}=cD0wLjQy"},
                "previous": {
                    **link, "description": PREVIOUS_DESCRIPTION,
                    "example": f"http://api.example.org/comments/?{self.cursor_query_param}=cD0wLjQzJnI9MQ==",
                },
                "results": {**schema, "description": RESULTS_DESCRIPTION},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param, "required": False, "in": "query",
                "description": str(self.cursor_query_description), "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param, "required": False, "in": "query",
                "description": str(self.page_size_query_description),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_results(self, data):
        return data["results"]

