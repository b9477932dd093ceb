"""Copy a seminar to a new term: the form on the source seminar, then a page that says what was copied."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from seminars.exceptions import SlugTakenError
from seminars.selectors import get_seminar_with

from . import services
from .forms import SeminarCopyForm

# The session key of the last copy's summary (counts and days) for the summary page.
SUMMARY = "copying_summary"


@login_required
@require_http_methods(["GET", "POST"])
def seminar_copy(request, slug):
    source = get_seminar_with(request.user, slug, "seminars.copy")
    form = SeminarCopyForm(request.POST if request.method == "POST" else None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.seminar_copy(source=source, by=request.user, **form.copy_fields())
        except SlugTakenError as error:
            form.add_error("slug", error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SUMMARY] = result.summary() | {"source": source.title}
            return redirect("copying:copied", slug=result.seminar.slug)
    return render(request, "copying/copy.html", {"seminar": source, "form": form})


@login_required
@require_safe
def seminar_copied(request, slug):
    """What the copy brought along; the copy's edit page once the summary has been shown (or without one)."""
    seminar = get_seminar_with(request.user, slug, "seminars.edit")
    summary = request.session.get(SUMMARY)
    if not summary or summary["seminar"] != seminar.pk:
        return redirect("seminars:edit", slug=seminar.slug)
    return render(request, "copying/copied.html", {"seminar": seminar, "summary": summary})
