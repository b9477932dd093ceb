"""What the Django admin may do with records the portal keeps for audit."""

from django.contrib import admin

from .models import OutboxTask


class RecordAdmin(admin.ModelAdmin):
    """Exam records and change logs (submissions, grades and their history, allotments and their changes,
    schedule changes, extensions): shown in the admin, never added, changed or deleted there, also not by
    deleting the seminar or person they belong to (the admin refuses a deletion that would take a record
    with it). Every change goes through the portal's services, which keep the history and tell the people
    concerned."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker (it was down when their change was saved): the periodic flush hands
    them over. Shown to see what waits; written only by the portal."""

    list_display = ["name", "created_at", "attempts", "kwargs"]
    list_filter = ["name"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "kwargs", "created_at", "attempts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
