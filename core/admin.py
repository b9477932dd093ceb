"""What the Django admin may do with records the portal keeps for audit."""

from django.contrib import admin


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
