from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopyingConfig(AppConfig):
    name = "copying"
    verbose_name = _("Copying seminars")
