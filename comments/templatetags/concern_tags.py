"""Template tags of the concerns' pages."""
from django import template

from comments.concerns.views.merge_split import merge_split_forms

register = template.Library()


@register.simple_tag
def concern_merge_split_forms(concern, comments):
    """{% concern_merge_split_forms concern comments as forms %}: the merge and split forms of a concern's page
    (forms.merge, forms.split), so that the page shows them without its view knowing of them."""
    return merge_split_forms(concern, comments=comments)
