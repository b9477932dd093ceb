from django.contrib import admin

from .models import CalendarFeed


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
