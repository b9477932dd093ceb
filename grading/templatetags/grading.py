from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from grading.scoring import format_grade
from grading.selectors import components_of

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


@register.simple_tag
def grade_weights(components) -> str:
    """“The final grade will depend on: Presentation (60 %), Report (40 %).”, names in the page's language."""
    parts = ", ".join(
        _("%(name)s (%(weight)d %%)") % {"name": component.name, "weight": component.weight}
        for component in components
    )
    return _("The final grade will depend on: %(parts)s.") % {"parts": parts}


@register.simple_tag
def seminar_grade_weights(seminar) -> str:
    """grade_weights for a page that has the seminar but not its components (one or two queries)."""
    return grade_weights(components_of(seminar))
