from django.contrib import admin

from core.admin import RecordAdmin

from .models import (
    Allotment,
    AllotmentChange,
    AllotmentPublication,
    AllotmentRun,
    Paper,
    Preference,
    PreferenceWindow,
)


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "seminar", "topic", "year", "capacity", "supervisor"]
    list_filter = ["seminar", "topic", "year"]
    search_fields = ["title", "authors", "venue", "source_key"]
    list_select_related = ["seminar", "topic", "supervisor"]
    autocomplete_fields = ["supervisor"]


@admin.register(PreferenceWindow)
class PreferenceWindowAdmin(admin.ModelAdmin):
    list_display = ["seminar", "opens_at", "closes_at", "max_choices"]
    search_fields = ["seminar__title"]
    list_select_related = ["seminar"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["student", "seminar", "rank", "paper", "updated_at"]
    list_filter = ["seminar", "rank"]
    search_fields = ["student__email", "student__full_name", "paper__title"]
    list_select_related = ["student", "seminar", "paper"]


@admin.register(AllotmentRun)
class AllotmentRunAdmin(RecordAdmin):
    list_display = ["seminar", "mechanism", "seed", "run_by", "created_at"]
    list_filter = ["mechanism", "seminar"]
    search_fields = ["seminar__title", "seed"]
    list_select_related = ["seminar", "run_by"]


@admin.register(Allotment)
class AllotmentAdmin(RecordAdmin):
    """Run, moved, swapped and published on the allotment page, where a change after publishing needs a
    reason, is recorded and is mailed to the student."""

    list_display = ["student", "paper", "seminar", "source", "locked", "updated_at"]
    list_filter = ["seminar", "source", "locked"]
    search_fields = ["student__email", "student__full_name", "paper__title"]
    list_select_related = ["student", "paper", "seminar"]


@admin.register(AllotmentPublication)
class AllotmentPublicationAdmin(RecordAdmin):
    list_display = ["seminar", "published_at", "published_by"]
    search_fields = ["seminar__title"]


@admin.register(AllotmentChange)
class AllotmentChangeAdmin(RecordAdmin):
    list_display = ["student", "old_paper", "new_paper", "changed_by", "changed_at", "seminar"]
    list_filter = ["seminar", "changed_at"]
    search_fields = ["student__email", "student__full_name", "reason"]
    list_select_related = ["student", "old_paper", "new_paper", "changed_by", "seminar"]
