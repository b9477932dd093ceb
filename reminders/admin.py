from django.contrib import admin

from .models import Reminder, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["seminar", "offsets", "instructor_summary"]
    list_filter = ["instructor_summary"]
    search_fields = ["seminar__title", "seminar__slug"]
    list_select_related = ["seminar"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "title",
        "offset_minutes",
        "due_at",
        "fire_at",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "kind", "seminar"]
    search_fields = ["user__email", "user__full_name", "title", "last_error"]
    list_select_related = ["user"]
    date_hierarchy = "fire_at"
    readonly_fields = ["created_at", "enqueued_at", "sent_at", "attempts", "last_error"]
