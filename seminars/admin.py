from django.contrib import admin
from django.db.models import Count

from . import materials
from .models import Announcement, Material, Membership, Seminar, Topic
from .rules import students_filter


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    # A withdrawal and its undo go through the portal's pages, which tell the student.
    readonly_fields = ["created_at", "prerequisites_confirmed_at", "withdrawn_at", "withdrawn_by"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["title", "term", "state", "student_count", "capacity", "time_zone", "premeeting_start"]
    list_filter = ["state", "term", "time_zone"]
    search_fields = ["title", "title_de", "term", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created_at"
    inlines = [TopicInline, MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_students=Count("memberships", filter=students_filter("memberships__")))
        )

    @admin.display(description="students", ordering="_students")
    def student_count(self, seminar):
        return seminar._students


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "seminar", "order"]
    list_filter = ["seminar"]
    search_fields = ["title", "title_de", "seminar__title"]
    list_select_related = ["seminar"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "seminar",
        "role",
        "source",
        "prerequisites_confirmed_at",
        "created_at",
        "withdrawn_at",
    ]
    list_filter = ["role", "source", ("withdrawn_at", admin.EmptyFieldListFilter), "seminar"]
    search_fields = ["user__email", "user__full_name", "user__matriculation_number", "seminar__title"]
    list_select_related = ["user", "seminar"]
    autocomplete_fields = ["user", "seminar"]
    readonly_fields = ["created_at", "withdrawn_at", "withdrawn_by"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    """What was mailed, as it was mailed: shown and deletable (e.g. a message that should never have gone
    out), never added (that would mail nobody) or changed (the archive would no longer say what was sent)."""

    list_display = ["subject", "seminar", "author_name", "audience", "recipient_count", "sent_at"]
    list_filter = ["audience", "seminar"]
    search_fields = ["subject", "body", "subject_de", "body_de", "author_name", "seminar__title"]
    list_select_related = ["seminar"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    """Materials are added on the seminar's materials page, where the file is checked; here their title,
    order and description can be corrected, and removing one removes its file too (materials.py)."""

    list_display = ["title", "seminar", "order", "original_name", "file_type", "size", "uploaded_at"]
    list_filter = ["file_type", "seminar"]
    search_fields = ["title", "description", "title_de", "original_name", "seminar__title"]
    list_select_related = ["seminar"]
    date_hierarchy = "uploaded_at"
    fields = [
        "seminar",
        "title",
        "order",
        "description",
        "original_name",
        "file_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = [
        "seminar",
        "original_name",
        "file_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        materials.material_remove(material=obj)

    def delete_queryset(self, request, queryset):
        for material in queryset:
            materials.material_remove(material=material)
