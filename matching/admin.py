from django.contrib import admin

from .models import Application, Result, Round, RoundSeminar


class RoundSeminarInline(admin.TabularInline):
    model = RoundSeminar
    extra = 0
    autocomplete_fields = ["seminar"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "term", "students_close_at", "chairs_close_at", "run_at", "seed", "published_at"]
    list_filter = ["term", "unranked_acceptable"]
    search_fields = ["title", "term"]
    readonly_fields = ["seed", "run_at", "run_by", "published_at", "published_by", "created_by"]
    inlines = [RoundSeminarInline]


@admin.register(RoundSeminar)
class RoundSeminarAdmin(admin.ModelAdmin):
    list_display = ["seminar", "round", "capacity"]
    list_filter = ["round"]
    search_fields = ["seminar__title", "round__title"]
    list_select_related = ["seminar", "round"]
    autocomplete_fields = ["seminar"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["student", "round_seminar", "rank", "chair_rank", "not_acceptable_reason", "updated_at"]
    list_filter = ["round", "rank"]
    search_fields = ["student__email", "student__full_name", "round_seminar__seminar__title"]
    list_select_related = ["student", "round_seminar__seminar"]
    autocomplete_fields = ["student"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """The record of a run: shown, never changed here (a round runs once)."""

    list_display = ["student", "round", "round_seminar", "choice"]
    list_filter = ["round", "choice"]
    search_fields = ["student__email", "student__full_name"]
    list_select_related = ["student", "round", "round_seminar__seminar"]
    readonly_fields = ["round", "student", "round_seminar", "choice", "refusals"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
