from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """{{ counts|lookup:provision.pk }}: a dict entry in a template, None when absent."""
    return mapping.get(key) if mapping else None


@register.filter
def correctable(comment) -> bool:
    """{% if comment|correctable %}: the author may still correct it (comments.selectors.comment_correctable)."""
    from comments.selectors import comment_correctable

    return comment_correctable(comment)


@register.filter
def earlier_texts(comment) -> list[dict]:
    """{% for text in comment|earlier_texts %}: a corrected comment's earlier texts, none when its words are not public."""
    from comments.selectors import comment_revisions_public

    return comment_revisions_public(comment)
