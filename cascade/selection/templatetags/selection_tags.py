from django import template

from cascade.lib.translated import pick as pick_text

register = template.Library()


@register.filter
def pick(value):
    """Multilingual content ({lang: text}) in the active language."""
    return pick_text(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def quota_text(call, attribute, value):
    """"Country: Казахстан": a quota's attribute and value in the reader's language."""
    from cascade.selection.models import quota_text as text

    return text(call, attribute, value)
