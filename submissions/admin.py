from django.contrib import admin

from core.admin import RecordAdmin

from .models import Deliverable, Extension, Submission


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "seminar",
        "kind",
        "due_mode",
        "due_at",
        "days_before_talk",
        "late_policy",
        "max_size_mb",
    ]
    list_filter = ["kind", "due_mode", "late_policy", "seminar"]
    search_fields = ["title", "title_de", "seminar__title", "seminar__slug"]
    list_select_related = ["seminar"]


@admin.register(Extension)
class ExtensionAdmin(RecordAdmin):
    """Granted and revoked on the deliverable's overview, where each grant and revoke is recorded."""

    list_display = [
        "student",
        "deliverable",
        "new_due_at",
        "extra_minutes",
        "granted_by",
        "granted_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "deliverable__seminar"]
    search_fields = ["student__email", "student__full_name", "reason", "deliverable__title"]
    list_select_related = ["student", "deliverable", "granted_by"]


@admin.register(Submission)
class SubmissionAdmin(RecordAdmin):
    """A submission is a record of what arrived when; nobody edits or deletes it after the fact."""

    list_display = ["original_name", "student", "deliverable", "version", "size", "received_at", "is_late"]
    list_filter = ["is_late", "file_type", "deliverable__seminar"]
    search_fields = ["student__email", "student__full_name", "original_name", "sha256", "deliverable__title"]
    list_select_related = ["student", "deliverable"]
    date_hierarchy = "received_at"
