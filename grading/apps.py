from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading")

    def ready(self):
        from submissions.integrity import register_upload_records

        from .models import Feedback

        # Feedback files live in the uploads storage: not orphans, and checked by verify_submissions.
        register_upload_records(Feedback, "seminar_id")
