"""Template helpers of the staff app: translated content, locale numbers, access questions."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format

from cascade import access
from cascade.lib.translated import pick

register = template.Library()


@register.filter
def tr(value):
    """Multilingual content ({lang: text}) in the reader's language."""
    return pick(value)


@register.filter
def num(value, decimals=None):
    """A number grouped and punctuated the locale's way (1,234 / 1 234 / ١٬٢٣٤)."""
    if value is None or value == "":
        return ""
    return number_format(value, decimals, force_grouping=True)


@register.filter
def count_for(value, user):
    """One training's count of people as ``user`` may see it: exact for staff; for donors and the
    public a range ("<5", "10–19"), as on the trainings list, so no page gives a figure to subtract."""
    from cascade import access
    from cascade.access import suppression

    shown = suppression.band(value or 0, exact=access.exact_figures(user))
    return shown if isinstance(shown, str) else num(shown)


@register.filter
def shown(value):
    """A figure released by cascade.access.suppression: a number the locale's way, or "<5", "*", "10–19"."""
    return value if isinstance(value, str) else num(value)


@register.filter
def percent(value):
    if value is None:
        return "–"
    return number_format(round(100 * value), 0) + "%"


@register.inclusion_tag("includes/figure.html")
def figure(fig, label=""):
    """A figure with its link, or "fewer than 5" when suppressed for this reader."""
    return {"fig": fig, "label": label}


@register.filter
def sees_people(user):
    return access.can_see_people(user)


@register.filter
def may_import(user):
    """Network admins and partner staff import spreadsheets (the staff app's import page)."""
    return access.can_import(user)


@register.filter
def manages_users(user):
    """Network admins, and partner admins for their partner (the users' page)."""
    return access.can_manage_users(user)


@register.filter
def uses_two_factor(user):
    return access.needs_two_factor(user)


@register.simple_tag
def optional_url(name, *args):
    """The URL of a page another app may not have yet, or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def language_name(code):
    from cascade.lib.names import language_name

    return language_name(code)


@register.filter
def country_name(code):
    from cascade.lib.names import country_name

    return country_name(code)


@register.simple_tag
def bar(percent, kind="", figure=None):
    """A bar of ``percent``; none if ``figure`` (the number it draws) is hidden."""
    from cascade.web import charts

    return charts.bar(percent, kind, hidden=bool(getattr(figure, "suppressed", False)))


@register.simple_tag
def year_columns(rows, label):
    from django.utils.translation import get_language_bidi

    from cascade.web import charts

    return charts.per_year(rows, label, rtl=get_language_bidi())


@register.filter
def filters_in_words(form) -> str:
    """"Country: Kazakhstan; Since: 2016-01-01", the filters a form holds, for the printed page
    (whose filter form is hidden); "–" when none is set."""
    shown = [(field.label, _chosen(field)) for field in form]
    return "; ".join(f"{label}: {value}" for label, value in shown if value) or "–"


def _chosen(field) -> str:
    """A bound form field's value as a reader sees it: a choice's label, not its code ("" if unset)."""
    value = field.value()
    if value in (None, "", [], ()):
        return ""
    values = value if isinstance(value, (list, tuple)) else [value]
    choices = getattr(field.field, "choices", None)
    if choices is None:
        return ", ".join(str(v) for v in values)
    labels = {}
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # a group of choices
            labels.update({str(k): v for k, v in label})
        else:
            labels[str(key)] = label
    return ", ".join(str(labels.get(str(v), v)) for v in values if str(v) != "")
