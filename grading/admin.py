from django.contrib import admin

from core.admin import RecordAdmin

from .models import ExaminerGrade, Feedback, Grade, GradeChange, GradeComponent, GradingSettings

# GradeComponent has no admin page: its weights must add up to 100 per seminar, which the components page
# (grading.services.grade_components_set) keeps, and a read-only page would make the admin refuse to delete
# any seminar with components (it asks every registered model on the way for its delete permission).


@admin.register(GradingSettings)
class GradingSettingsAdmin(admin.ModelAdmin):
    list_display = ["seminar", "rounding", "must_pass_all", "released_at", "released_by"]
    list_filter = ["rounding", "must_pass_all"]
    search_fields = ["seminar__title"]
    list_select_related = ["seminar", "released_by"]
    # Releasing tells every student; it happens on the grading sheet, never here.
    readonly_fields = ["released_at", "released_by"]


class GradeChangeInline(admin.TabularInline):
    model = GradeChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_value", "new_value", "comment", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Grade)
class GradeAdmin(RecordAdmin):
    """Set on the grading sheet, which keeps the history and tells students of changes after release."""

    list_display = ["student", "seminar", "component", "value", "grader", "version", "updated_at"]
    list_filter = ["seminar", "component__key", "value"]
    search_fields = ["student__email", "student__full_name", "student__matriculation_number"]
    list_select_related = ["student", "seminar", "component", "grader"]
    inlines = [GradeChangeInline]


@admin.register(GradeChange)
class GradeChangeAdmin(RecordAdmin):
    list_display = ["grade", "old_value", "new_value", "changed_by", "changed_at"]
    list_filter = ["changed_at"]
    search_fields = ["grade__student__email", "grade__student__full_name"]
    list_select_related = ["grade__student", "grade__seminar", "grade__component", "changed_by"]


@admin.register(GradeComponent)
class GradeComponentAdmin(admin.ModelAdmin):
    """Shown, not edited: the components page of the portal keeps the weights at 100 % and refuses to remove
    one with grades. Deletable so that a seminar without grades can still be deleted here."""

    list_display = ["name_en", "name_de", "seminar", "weight", "order", "deliverable"]
    list_filter = ["seminar"]
    search_fields = ["name_en", "name_de", "seminar__title"]
    list_select_related = ["seminar", "deliverable"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(RecordAdmin):
    """Written on the student's feedback page, which checks the file and tells the student after release."""

    list_display = ["student", "seminar", "component", "examiner", "original_name", "updated_at"]
    list_filter = ["seminar", "component__key"]
    search_fields = ["student__email", "student__full_name", "comment"]
    list_select_related = ["student", "seminar", "component", "examiner"]


@admin.register(ExaminerGrade)
class ExaminerGradeAdmin(RecordAdmin):
    """Entered on the student's examiners' page; the component grade set from them keeps its history."""

    list_display = ["student", "seminar", "component", "examiner", "value", "updated_at"]
    list_filter = ["seminar", "component__key", "value"]
    search_fields = ["student__email", "student__full_name", "examiner__full_name"]
    list_select_related = ["student", "seminar", "component", "examiner"]
