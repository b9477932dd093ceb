"""The portal's branding from settings, without code: the institution's name, a logo and an accent colour
(PORTAL_INSTITUTION, PORTAL_LOGO, PORTAL_ACCENT). Used by the header, the login page and every mail.

The accent colour reaches the pages as a small stylesheet (`branding.css`), since the Content Security
Policy allows no inline style. The text on the accent is white or near-black, whichever has the higher
contrast (WCAG's relative luminance), so any accent keeps the header readable."""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

DEFAULT_NAME = "Seminar portal"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#0b5394"
DARK_INK = "#1a1a1a"
LIGHT_INK = "#ffffff"


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent() -> str:
    colour = getattr(settings, "PORTAL_ACCENT", "") or DEFAULT_ACCENT
    if not HEX.match(colour):
        raise ImproperlyConfigured(f"PORTAL_ACCENT must be a colour like #0b5394, not {colour!r}")
    return colour.lower()


def ink_on(colour: str) -> str:
    """The text colour on `colour` with the higher contrast."""
    return LIGHT_INK if contrast(colour, LIGHT_INK) >= contrast(colour, DARK_INK) else DARK_INK


def branding() -> dict:
    # The default name is the catalogue's ("Seminarportal" on German pages); a chair's own name stays as set.
    name = settings.PORTAL_NAME
    return {
        "name": gettext("Seminar portal") if name == DEFAULT_NAME else name,
        "institution": getattr(settings, "PORTAL_INSTITUTION", ""),
        "logo": getattr(settings, "PORTAL_LOGO", ""),
        "accent": accent(),
    }


def stylesheet() -> str:
    colour = accent()
    # The accent on white (links, outlined buttons) must reach 4.5:1 too; a light accent is darkened there.
    on_paper = colour if contrast(colour, LIGHT_INK) >= 4.5 else DARK_INK
    return (
        f":root {{ --brand: {colour}; --brand-ink: {ink_on(colour)}; --accent: {on_paper}; "
        f"--accent-ink: {ink_on(on_paper)}; }}\n"
    )


def branding_context(request) -> dict:
    """Template context processor: {{ branding.name }}, .institution, .logo, .accent."""
    return {"branding": branding()}
