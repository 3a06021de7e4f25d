from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """{{ counts|lookup:provision.pk }}: a dict entry in a template, None when absent."""
    return mapping.get(key) if mapping else None
