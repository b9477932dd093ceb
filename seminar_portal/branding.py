"""GET /branding.css: the accent colour from settings as CSS custom properties (core.branding)."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.branding import stylesheet


@require_safe
@cache_control(public=True, max_age=3600)
def branding_css(request):
    return HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")
