"""The API's JSON parser: DRF's, with the limits a public endpoint needs.

DRF reads a JSON body straight from the request stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (checked
only when `request.body` or `request.POST` is read) never applied to it, and Python's json module recurses
once per level of nesting, so a body nested 1,000 deep raised RecursionError: a 500 from an anonymous
request. Here a body over the limit is refused (413) before it is decoded, and one nested deeper than any
request of this API needs is a parse error (400), both in the API's error shape.
"""
from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from config.errors import RequestTooLarge

# The deepest request of the API is an object holding a list of objects (a quote, a concern's decision): 3.
MAX_DEPTH = 32


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if stream is not None and limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise request_too_large()
            stream = io.BytesIO(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("The JSON is nested too deeply."))
        return data


def request_too_large() -> RequestTooLarge:
    return RequestTooLarge(_("The request is too large."))


def _depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects are nested more than `limit` deep (walked without recursion)."""
    level = [data]
    for _depth in range(limit + 1):
        level = [child for value in level if isinstance(value, dict | list) for child in (value.values() if isinstance(value, dict) else value)]
        if not level:
            return False
    return True
