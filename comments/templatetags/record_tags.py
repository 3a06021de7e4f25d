"""Template filters of the public record's pages (the concerns' changes of words)."""
from django import template

from comments.concerns.excerpts import diff_excerpt

register = template.Library()


@register.filter
def short_diff(ops, context=8):
    """{% include "drafts/_diff.html" with diff=row.diff|short_diff %}: the changed words with a few around them."""
    return diff_excerpt(ops, context=int(context))
