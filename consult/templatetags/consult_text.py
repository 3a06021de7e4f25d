"""Small text filters for sentences that end with a name."""
from django import template

register = template.Library()


@register.filter(is_safe=True)
def single_full_stop(sentence: str) -> str:
    """A sentence ending with a name that ends in a full stop ("Dana K.") keeps one full stop, not "Dana K.."; an
    ellipsis ("...") is left as it is."""
    text = str(sentence)
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text
