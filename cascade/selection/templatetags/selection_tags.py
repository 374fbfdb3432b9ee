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
