from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirm import confirmation_page, is_confirmed
from core.permissions import may
from seminars.exceptions import SeminarError
from seminars.rules import student_memberships
from seminars.selectors import get_seminar_for_user, get_seminar_with

from . import confirmations, selectors, services
from .forms import BlockDayForm, BlockSeminarForm, SlotForm
from .ical import program_calendar
from .models import BlockDay, Slot


def _program_context(request, seminar):
    published = selectors.is_published(seminar)
    return {
        "seminar": seminar,
        "published": published,
        "days": selectors.program(seminar) if published else [],
        # Names are for the seminar's members; visitors see times and titles.
        "show_names": may(request.user, "schedule.see_presenter_names", seminar),
    }


@require_safe
def program(request, slug):
    seminar = get_seminar_for_user(request.user, slug)
    return render(request, "schedule/program.html", _program_context(request, seminar))


@require_safe
def program_ics(request, slug):
    seminar = get_seminar_for_user(request.user, slug)
    context = _program_context(request, seminar)
    body = program_calendar(seminar, context["days"], show_names=context["show_names"])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-program.ics"'
    return response


def _conflict_rows(seminar, conflicts, slots):
    by_pk = {slot.pk: slot for slot in slots}
    students = {membership.user_id: membership.user for membership in student_memberships(seminar)}
    rows = []
    for conflict in conflicts:
        rows.append(
            {
                "kind": conflict.kind,
                "slots": [by_pk[key] for key in conflict.slots if key in by_pk],
                "student": students.get(conflict.student),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, slug):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    block = selectors.block_of(seminar)
    form = BlockSeminarForm(request.POST or None, instance=block)
    if request.method == "POST" and form.is_valid():
        services.block_seminar_set(seminar=seminar, **form.cleaned_data)
        messages.success(request, _("The talk timing is saved. Generate the slots to apply it."))
        return redirect("schedule:manage", slug=seminar.slug)
    slots = list(selectors.slots_of(seminar))
    titles = selectors.allotted_titles(seminar)
    for slot in slots:
        slot.paper_title = titles.get(slot.presenter_id, "")
    conflicts = selectors.conflicts_of(seminar, slots)
    context = {
        "seminar": seminar,
        "block_seminar": block,
        "form": form,
        "days": selectors.days_of(seminar),
        "slots": slots,
        "conflicts": _conflict_rows(seminar, conflicts, slots),
    }
    return render(request, "schedule/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request, slug, pk=None):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    day = get_object_or_404(BlockDay, seminar=seminar, pk=pk) if pk else BlockDay(seminar=seminar)
    form = BlockDayForm(request.POST or None, instance=day, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        services.block_day_save(seminar=seminar, day=form.save(commit=False))
        messages.success(request, _("The day is saved."))
        return redirect("schedule:manage", slug=seminar.slug)
    return render(
        request, "schedule/form.html", {"seminar": seminar, "form": form, "title": _("Block seminar day")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_delete(request, slug, pk):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    day = get_object_or_404(BlockDay, seminar=seminar, pk=pk)
    if not is_confirmed(request):
        return confirmation_page(
            request, confirmations.day_delete_confirmation(seminar, day), seminar=seminar
        )
    try:
        services.block_day_delete(day=day)
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The day and its slots are removed."))
    return redirect("schedule:manage", slug=seminar.slug)


@login_required
@require_http_methods(["GET", "POST"])
def slot_edit(request, slug, pk=None):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    slot = get_object_or_404(Slot, seminar=seminar, pk=pk) if pk else Slot(seminar=seminar)
    form = SlotForm(request.POST or None, instance=slot, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_save(
                seminar=seminar, slot=slot, changed_by=request.user, now=timezone.now(), **data
            )
        except SeminarError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The slot is saved."))
            return redirect("schedule:manage", slug=seminar.slug)
    return render(request, "schedule/form.html", {"seminar": seminar, "form": form, "title": _("Slot")})


@login_required
@require_http_methods(["GET", "POST"])
def slot_delete(request, slug, pk):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    slot = get_object_or_404(Slot.objects.select_related("presenter"), seminar=seminar, pk=pk)
    if not is_confirmed(request):
        return confirmation_page(
            request, confirmations.slot_delete_confirmation(seminar, slot), seminar=seminar
        )
    services.slot_delete(seminar=seminar, slot=slot, changed_by=request.user, now=timezone.now())
    messages.success(request, _("The slot is removed."))
    return redirect("schedule:manage", slug=seminar.slug)


@login_required
@require_POST
def generate(request, slug):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    try:
        slots = services.slots_generate(seminar=seminar)
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d slot is laid out.", "%(count)d slots are laid out.", len(slots))
            % {"count": len(slots)},
        )
    return redirect("schedule:manage", slug=seminar.slug)


@login_required
@require_POST
def fill(request, slug):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    placed = services.slots_fill(seminar=seminar, changed_by=request.user, now=timezone.now())
    messages.success(
        request,
        ngettext(
            "%(count)d student was placed in topic order.",
            "%(count)d students were placed in topic order.",
            placed,
        )
        % {"count": placed},
    )
    return redirect("schedule:manage", slug=seminar.slug)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    seminar = get_seminar_with(request.user, slug, "schedule.manage")
    if not is_confirmed(request):
        return confirmation_page(request, confirmations.publish_confirmation(seminar), seminar=seminar)
    try:
        services.schedule_publish(seminar=seminar, published_by=request.user, now=timezone.now())
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The schedule is published; each presenter gets their slot by mail."))
    return redirect("schedule:manage", slug=seminar.slug)
