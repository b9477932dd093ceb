from django.contrib import admin

from core.admin import RecordAdmin

from .models import PeerReview, ReviewRound


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    """Settings are changed on the deliverable's peer review page too; assignment, publication and release
    happen there only (they mail people), so their times are read-only here."""

    list_display = [
        "deliverable",
        "reviews_per_student",
        "anonymity",
        "due_at",
        "published_at",
        "released_at",
    ]
    list_filter = ["anonymity", "late_policy"]
    search_fields = ["deliverable__title", "deliverable__seminar__title"]
    list_select_related = ["deliverable__seminar"]
    readonly_fields = ["seed", "assigned_at", "published_at", "published_by", "released_at", "released_by"]


@admin.register(PeerReview)
class PeerReviewAdmin(RecordAdmin):
    """What a reviewer wrote, by its due time: a record, shown and never changed here."""

    list_display = ["round", "reviewer", "author", "source", "submitted_at", "is_late"]
    list_filter = ["source", "is_late", "round__anonymity"]
    search_fields = ["reviewer__email", "reviewer__full_name", "author__email", "author__full_name"]
    list_select_related = ["round__deliverable", "reviewer", "author"]
