from django import template
from django.utils import translation

from grading.scoring import format_grade

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def grade_text(value):
    """A grade with one decimal and the decimal mark of the page's language: 2,3 in German, 2.3 in English."""
    if value is None or value == "":
        return ""
    return format_grade(value, decimal_comma=translation.get_language() == "de")
