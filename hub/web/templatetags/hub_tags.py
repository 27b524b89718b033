"""Template helpers: ``{% t "hub.nav.schools" %}``, numbers and dates the Vietnamese way."""
from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from hub.calendar import VIETNAM
from hub.i18n import t as translate

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context, key, **values):
    """The message ``key`` in the page's language."""
    return translate(key, context.get("lang", "vi"), **values)


@register.filter
def num(value):
    """1234567 -> 1.234.567; 12.5 -> 12,5; None -> —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float):
        text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    else:
        text = f"{value:,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def num2(value):
    """A ratio to two places the Vietnamese way: 0.25 -> 0,25; None -> —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    text = f"{value:,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def dmy(value):
    """A date or moment as dd/mm/yyyy (moments also HH:MM, in Vietnam time)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(VIETNAM)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


@register.filter
def month(value):
    """A month's first day as mm/yyyy."""
    return value.strftime("%m/%Y") if isinstance(value, date) else value


@register.filter
def get(mapping, key):
    """``mapping[key]`` in a template (0 when absent)."""
    return mapping.get(key, 0) if hasattr(mapping, "get") else 0


@register.filter
def age(value):
    """How long ago, roughly: '5 phút', '3 giờ', '2 ngày' (Vietnamese units; pages in English
    read the same numbers)."""
    if value is None:
        return "—"
    seconds = (timezone.now() - value).total_seconds()
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))}′"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"
