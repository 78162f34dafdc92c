"""Small filters for the pages: money in đồng with thousands dots, names in the reader's language."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import portal.money

register = template.Library()


@register.filter
def vnd(amount, upto=None):
    """12000000 → "12.000.000 đ", `min|vnd:max` → "8.000.000–12.000.000 đ" (portal.money); None (not
    disclosed) → a word, never a blank."""
    if amount is None or amount == "":
        return _("not stated")
    return portal.money.vnd(amount, upto)


@register.filter
def money(amount, currency):
    if currency == "VND":
        return vnd(amount)
    return f"{number_format(amount, decimal_pos=0, force_grouping=True)} {currency}"


@register.filter
def local_name(obj):
    """An occupation, country or programme by its Vietnamese or English name, as the page is read."""
    if obj is None:
        return ""
    english = get_language() == "en"
    return getattr(obj, "name_en" if english else "name_vi", None) or str(obj)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or "" removes one); page resets."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def stage(status: str) -> str:
    """An application's status code in words."""
    from candidates.models import Application

    return Application.Status(status).label if status in Application.Status.values else status
