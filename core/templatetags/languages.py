"""{% localized obj "field" as text %}: a translatable field in the reader's language, else the other one
(core.languages); {{ text.html }} marks a fallback, {{ text }} is the plain text, {{ text.lines }} its
lines."""

from django import template

from core.languages import localized as localized_field

register = template.Library()


@register.simple_tag
def localized(obj, field):
    return localized_field(obj, field)
