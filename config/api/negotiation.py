"""Content negotiation for views that answer a file (CSV, JSON Lines, .docx) rather than a representation."""
from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class FileContentNegotiation(DefaultContentNegotiation):
    """Whatever the client accepts, the view answers its file; an error (a bad filter) is rendered by the first
    renderer, JSON, like every API error. DRF's own negotiation would refuse `Accept: text/csv` with a 406, as no
    renderer of it produces CSV: the file is built by the view, not rendered."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
