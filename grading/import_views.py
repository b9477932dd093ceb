"""The grade import: upload or paste a CSV file, see what it changes, confirm. Nothing is saved before."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from core.confirm import is_confirmed
from core.imports import decode_upload
from seminars.selectors import get_seminar_with

from . import imports, selectors

TOKEN_MAX_AGE = 24 * 3600  # seconds a preview can be confirmed


class GradeImportForm(forms.Form):
    grade_file = forms.FileField(
        label=gettext_lazy("CSV file"),
        required=False,
        help_text=gettext_lazy(
            "Comma or semicolon separated, UTF-8 or Windows encoding, at most 1 MB. The portal's own grade "
            "export can be imported as it is."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the lines"),
        required=False,
        strip=False,
        max_length=settings.SEMINAR_IMPORT_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60, "spellcheck": "false"}),
    )

    def clean_grade_file(self):
        upload = self.cleaned_data["grade_file"]
        if upload and upload.size > settings.SEMINAR_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than 1 MB. Is it really a grade list?")
            )
        return decode_upload(upload.read()) if upload else ""

    def clean(self):
        data = super().clean()
        data["text"] = data.get("grade_file") or data.get("text") or ""
        if not self.errors and not data["text"].strip():
            raise forms.ValidationError(_("Please choose a file or paste its lines."))
        return data


def _salt(seminar, user) -> str:
    return f"grading.import:{seminar.pk}:{user.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def grade_import(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.manage")
    if is_confirmed(request):
        return _confirmed(request, seminar)
    form = GradeImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    context = {"seminar": seminar, "form": form}
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["text"]
        preview = imports.grade_import_preview(seminar=seminar, text=text)
        token = signing.dumps(
            {"text": text, "seen": preview.seen}, salt=_salt(seminar, request.user), compress=True
        )
        context |= {
            "preview": preview,
            "token": token,
            "released": selectors.settings_of(seminar).released_at is not None,
            "form": GradeImportForm(initial={"text": text}),
        }
    return render(request, "grading/grade_import.html", context)


def _confirmed(request, seminar):
    try:
        data = signing.loads(
            request.POST.get("token", ""), salt=_salt(seminar, request.user), max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, _("This preview has expired or was changed. Please import the file again."))
        return redirect("grading:import", slug=seminar.slug)
    result = imports.grades_import(
        seminar=seminar, text=data["text"], seen=data["seen"], grader=request.user, now=timezone.now()
    )
    messages.success(
        request,
        ngettext("%(count)d grade imported.", "%(count)d grades imported.", result.imported)
        % {"count": result.imported},
    )
    for error in result.refused:
        messages.warning(
            request,
            _("Line %(line)d was not imported: %(message)s") % {"line": error.line, "message": error.message},
        )
    return redirect("grading:sheet", slug=seminar.slug)
