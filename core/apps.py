from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared infrastructure of every app, without any domain: no model of a seminar, paper or grade."""

    name = "core"
    verbose_name = _("Portal infrastructure")
