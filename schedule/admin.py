from django.contrib import admin

from core.admin import RecordAdmin

from .models import BlockDay, BlockSeminar, ScheduleChange, Slot


@admin.register(BlockSeminar)
class BlockSeminarAdmin(admin.ModelAdmin):
    list_display = ["seminar", "talk_minutes", "gap_minutes", "break_after", "break_minutes", "published_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["seminar__title", "seminar__slug"]
    list_select_related = ["seminar"]
    # Publishing mails every presenter; it happens on the schedule page, never here.
    readonly_fields = ["published_at", "published_by"]


@admin.register(BlockDay)
class BlockDayAdmin(admin.ModelAdmin):
    list_display = ["seminar", "starts_at", "ends_at", "room", "online_url"]
    list_filter = ["seminar"]
    search_fields = ["seminar__title", "room"]
    list_select_related = ["seminar"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["seminar", "starts_at", "ends_at", "room", "presenter"]
    list_filter = ["seminar", ("presenter", admin.EmptyFieldListFilter)]
    search_fields = ["seminar__title", "room", "presenter__email", "presenter__full_name"]
    list_select_related = ["seminar", "presenter"]
    autocomplete_fields = ["presenter"]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(RecordAdmin):
    list_display = ["seminar", "student", "old_starts_at", "new_starts_at", "changed_by", "changed_at"]
    list_filter = ["seminar"]
    search_fields = ["student__email", "student__full_name", "seminar__title"]
    list_select_related = ["seminar", "student", "changed_by"]
