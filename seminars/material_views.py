"""Materials: instructors upload, rename, reorder and remove them; members download them (the list is on
the seminar page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.downloads import file_response
from core.file_checks import too_large_message
from core.uploads import LimitedUploadHandler, parse_with_names_kept

from . import materials, selectors
from .exceptions import MaterialFileError, SeminarError
from .material_forms import MaterialEditForm, MaterialUploadForm


def _manage_page(request, seminar, form=None, status=200):
    listed = list(materials.materials_of(seminar))
    if form is None:
        next_order = max((material.order for material in listed), default=0) + 1
        form = MaterialUploadForm(initial={"order": next_order})
    context = {"seminar": seminar, "materials": listed, "form": form}
    return render(request, "seminars/materials_manage.html", context, status=status)


@login_required
@require_safe
def materials_manage(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_materials")
    return _manage_page(request, seminar)


@csrf_exempt
@require_POST
def material_upload(request, slug):
    """The upload handler must be in place before anything reads the body, the CSRF check included (as
    for submissions: the size limit is kept while the body streams in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("seminars:materials", args=[slug]))
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_materials")
    handler = LimitedUploadHandler(request, max_bytes=materials.material_max_bytes())
    request.upload_handlers = [handler]
    parse_with_names_kept(request)
    return _upload(request, seminar, handler)


@csrf_protect
def _upload(request, seminar, handler):
    form = MaterialUploadForm(request.POST, request.FILES)
    refused = None
    if handler.too_many or len(request.FILES) > 1 or len(request.FILES.getlist("file")) > 1:
        refused = _("Please upload one file at a time. Nothing was stored.")
    elif handler.too_large:
        refused = too_large_message(materials.material_max_bytes()) + " " + _("Nothing was stored.")
    if form.is_valid() and refused is None:
        data = form.cleaned_data
        try:
            material = materials.material_add(
                seminar=seminar,
                upload=data["file"],
                title=data["title"],
                order=data["order"],
                description=data["description"],
                title_de=data["title_de"],
                description_de=data["description_de"],
                uploaded_by=request.user,
                now=timezone.now(),
            )
        except MaterialFileError as error:
            refused = f"{error.message} " + _("Nothing was stored.")
        except SeminarError as error:
            form.add_error("title", error.message)
        else:
            messages.success(
                request, _("The material “%(title)s” is uploaded.") % {"title": material.display_title}
            )
            return redirect("seminars:materials", slug=seminar.slug)
    if refused is not None:
        # The file's one error, in place of "This field is required." when the stopped upload left none.
        form.errors.pop("file", None)
        form.add_error("file", refused)
    return _manage_page(request, seminar, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def material_edit(request, slug, pk):
    seminar, material = materials.get_material_with(request.user, slug, pk, "seminars.manage_materials")
    form = MaterialEditForm(request.POST if request.method == "POST" else None, instance=material)
    if request.method == "POST" and form.is_valid():
        try:
            material = materials.material_update(material=material, **form.cleaned_data)
        except SeminarError as error:
            form.add_error("title", error.message)
        else:
            messages.success(
                request, _("The material “%(title)s” is saved.") % {"title": material.display_title}
            )
            return redirect("seminars:materials", slug=seminar.slug)
    context = {"seminar": seminar, "material": material, "form": form}
    return render(request, "seminars/material_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def material_remove(request, slug, pk):
    seminar, material = materials.get_material_with(request.user, slug, pk, "seminars.manage_materials")
    if not is_confirmed(request):
        return confirmation_page(request, _remove_confirmation(seminar, material), seminar=seminar)
    materials.material_remove(material=material)
    messages.success(request, _("The material “%(title)s” is removed.") % {"title": material.display_title})
    return redirect("seminars:materials", slug=seminar.slug)


def _remove_confirmation(seminar, material) -> Confirmation:
    return Confirmation(
        title=_("Remove the material “%(title)s”") % {"title": material.display_title},
        consequences=[
            _("The file “%(name)s” is deleted; nobody in the seminar can download it any more.")
            % {"name": material.original_name},
            _("This cannot be undone: to offer the file again, upload it again."),
        ],
        action_label=_("Remove the material"),
        cancel_url=reverse("seminars:materials", args=[seminar.slug]),
        danger=True,
    )


@login_required
@require_safe
def material_download(request, slug, pk):
    seminar, material = materials.get_material_with(request.user, slug, pk, "seminars.view_materials")
    return file_response(
        material.file, name=material.original_name, content_type=material.content_type, size=material.size
    )
