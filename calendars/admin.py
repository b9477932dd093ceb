from django.contrib import admin

from .models import CalendarFeed, EventSequence


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """The token is a credential: the admin shows who has a feed, never the address."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EventSequence)
class EventSequenceAdmin(admin.ModelAdmin):
    """The SEQUENCE each calendar event was last given: kept by the feeds, read-only here (a lower number
    would make calendar programs ignore a change)."""

    list_display = ["uid", "sequence"]
    search_fields = ["uid"]
    readonly_fields = ["uid", "fingerprint", "sequence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
