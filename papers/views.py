from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.forms import id_or_none
from core.permissions import may
from core.rankings import ACTIONS as RANKING_ACTIONS
from core.rankings import ranking_after
from seminars.exceptions import SeminarError
from seminars.selectors import get_seminar_with

from . import selectors, services
from .exceptions import AllotmentPublishedError, NothingToPublishError
from .forms import (
    AllotmentMoveForm,
    AllotmentRunForm,
    AllotmentSwapForm,
    PaperForm,
    PaperImportForm,
    PreferenceWindowForm,
)
from .models import Allotment, AllotmentRun, Paper
from .paper_import import parse_bibtex, parse_paper_csv


def _posted(request):
    return request.POST if request.method == "POST" else None


@require_safe
def paper_list(request, slug):
    """Members see the catalogue; visitors too when the chair made it public, else they are asked to log
    in."""
    if not request.user.is_authenticated and not selectors.catalogue_is_public(slug):
        return redirect_to_login(request.get_full_path())
    seminar = get_seminar_with(request.user, slug, "papers.view_catalogue")
    topic_id = request.GET.get("topic", "")
    query = request.GET.get("q", "").strip()[:200]
    papers = selectors.papers_of_seminar(seminar, topic_id=id_or_none(topic_id), query=query)
    context = {
        "seminar": seminar,
        "may_rank": may(request.user, "papers.rank", seminar),
        "groups": selectors.topics_with_papers(seminar, papers),
        "topics": seminar.topics.all(),
        "selected_topic": topic_id,
        "query": query,
        "is_instructor": may(request.user, "papers.manage", seminar),
        "my_allotment": selectors.published_allotment_for(seminar, request.user)
        if may(request.user, "papers.see_own_allotment", seminar)
        else None,
        "window": selectors.preference_window(seminar),
        "allotment_published": selectors.is_published(seminar),
        "now": timezone.now(),
    }
    return render(request, "papers/paper_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request, slug, pk=None):
    seminar = get_seminar_with(request.user, slug, "papers.manage")
    paper = get_object_or_404(Paper, pk=pk, seminar=seminar) if pk else None
    form = PaperForm(_posted(request), instance=paper, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_save(seminar=seminar, paper=paper, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The paper has been saved."))
            return redirect("papers:list", slug=seminar.slug)
    return render(request, "papers/paper_form.html", {"seminar": seminar, "form": form, "paper": paper})


@login_required
@require_http_methods(["POST"])
def paper_delete(request, slug, pk):
    seminar = get_seminar_with(request.user, slug, "papers.manage")
    paper = get_object_or_404(Paper, pk=pk, seminar=seminar)
    try:
        services.paper_delete(paper=paper)
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The paper has been deleted."))
    return redirect("papers:list", slug=seminar.slug)


@login_required
@require_http_methods(["GET", "POST"])
def paper_import(request, slug):
    seminar = get_seminar_with(request.user, slug, "papers.manage")
    form = PaperImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        kind, data = form.cleaned_data["paper_file"]
        records, row_errors = (parse_bibtex if kind == "bibtex" else parse_paper_csv)(data)
        if not row_errors:
            try:
                result = services.papers_import(seminar=seminar, records=records)
            except services.PaperImportError as error:
                row_errors = error.errors
            else:
                added = ngettext("%(added)d paper added", "%(added)d papers added", result.added)
                messages.success(
                    request,
                    _("Import done: %(added)s, %(existing)d already in the catalogue.")
                    % {"added": added % {"added": result.added}, "existing": result.already_there},
                )
                if result.repeated:
                    messages.warning(request, _repeated_message(result.repeated))
                if result.without_topic:
                    messages.warning(
                        request,
                        _("These papers have no topic of this seminar: %(titles)s.")
                        % {"titles": "; ".join(result.without_topic)},
                    )
                return redirect("papers:list", slug=seminar.slug)
    context = {"seminar": seminar, "form": form, "row_errors": row_errors}
    return render(request, "papers/paper_import.html", context)


def _repeated_message(repeated: list[services.RepeatedEntry]) -> str:
    """The entries a file has twice, each with its line and the line of the entry that was added."""
    entries = "; ".join(
        _("line %(line)d repeats line %(first_line)d: “%(title)s”")
        % {"line": entry.line, "first_line": entry.first_line, "title": entry.title}
        for entry in repeated
    )
    return ngettext(
        "One entry repeats the title of an earlier entry of the file and was not added: %(entries)s.",
        "%(count)d entries repeat the titles of earlier entries of the file and were not added: %(entries)s.",
        len(repeated),
    ) % {"count": len(repeated), "entries": entries}


@login_required
@require_http_methods(["GET", "POST"])
def preference_window(request, slug):
    seminar = get_seminar_with(request.user, slug, "papers.manage")
    form = PreferenceWindowForm(
        _posted(request), instance=selectors.preference_window(seminar), seminar=seminar
    )
    if request.method == "POST" and form.is_valid():
        services.preference_window_set(seminar=seminar, **form.cleaned_data)
        messages.success(request, _("The preference window has been saved."))
        return redirect("papers:allotment", slug=seminar.slug)
    return render(request, "papers/preference_window.html", {"seminar": seminar, "form": form})


def _place_after(action: str, paper_id: int | None, seminar) -> str:
    """Back to where the reader was, without JavaScript too: the paper's row in the ranking after adding or
    moving it, its card among the papers to add after removing it."""
    address = reverse("papers:preferences", kwargs={"slug": seminar.slug})
    if paper_id is None:
        return address + "#ranking-heading"
    return address + (f"#paper-{paper_id}" if action == "remove" else f"#rank-{paper_id}")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request, slug):
    seminar = get_seminar_with(request.user, slug, "papers.rank")
    ranking = selectors.ranking_of(seminar, request.user)
    if request.method == "POST":
        action, paper = request.POST.get("action", ""), request.POST.get("paper", "")
        if action in RANKING_ACTIONS and id_or_none(paper):
            new_ranking = ranking_after(action, [p.pk for p in ranking], id_or_none(paper))
        elif "ranking" in request.POST:
            # A whole new order (the form a script or a drag-and-drop page would send).
            new_ranking = [pk for pk in map(id_or_none, request.POST.getlist("ranking")) if pk]
        else:
            messages.error(request, _("Nothing was changed: the request did not say what to do."))
            return redirect("papers:preferences", slug=seminar.slug)
        try:
            services.preferences_set(
                seminar=seminar, student=request.user, paper_ids=new_ranking, now=timezone.now()
            )
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your ranking has been saved."))
            return redirect(_place_after(action, id_or_none(paper), seminar))
        return redirect("papers:preferences", slug=seminar.slug)
    ranked_ids = {paper.pk for paper in ranking}
    papers = selectors.papers_of_seminar(seminar)
    context = {
        "seminar": seminar,
        "ranking": ranking,
        "unranked_groups": selectors.topics_with_papers(
            seminar, [p for p in papers if p.pk not in ranked_ids]
        ),
        "window": selectors.preference_window(seminar),
        "now": timezone.now(),
    }
    return render(request, "papers/preferences.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def allotment(request, slug):
    seminar = get_seminar_with(request.user, slug, "papers.manage_allotment")
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "run": AllotmentRunForm(request.POST if action == "run" else None),
        "move": AllotmentMoveForm(request.POST if action == "move" else None, seminar=seminar),
        "swap": AllotmentSwapForm(request.POST if action == "swap" else None, seminar=seminar),
    }
    if action:
        try:
            done = _allotment_action(request, seminar, action, forms)
        except SeminarError as error:
            messages.error(request, error.message)
            done = False
        if done:
            return redirect("papers:allotment", slug=seminar.slug)
    last_run = AllotmentRun.objects.filter(seminar=seminar).first()
    rows = selectors.allotment_table(seminar)
    context = {
        "seminar": seminar,
        "rows": rows,
        "forms": forms,
        "last_run": last_run,
        "summary": _summary(rows),
        "published": selectors.is_published(seminar),
        "window": selectors.preference_window(seminar),
        "changes": selectors.allotment_changes(seminar)[:50],
    }
    return render(request, "papers/allotment.html", context)


def _allotment_action(request, seminar, action, forms) -> bool:
    now = timezone.now()
    if action in forms:
        form = forms[action]
        if not form.is_valid():
            return False
        data = form.cleaned_data
        if action == "run":
            run = services.allotment_run(
                seminar=seminar, mechanism=data["mechanism"], seed=data["seed"], run_by=request.user
            )
            messages.success(
                request, _("Allotment proposed (seed %(seed)d). Check it, then publish.") % {"seed": run.seed}
            )
        elif action == "move":
            services.allotment_move(
                seminar=seminar,
                student=data["student"].user,
                paper=data["paper"],
                changed_by=request.user,
                reason=data["reason"],
                now=now,
            )
            messages.success(
                request,
                _("%(name)s now has “%(title)s” (locked: a new run keeps it).")
                % {"name": data["student"].user.get_full_name(), "title": data["paper"].title},
            )
        else:
            services.allotment_swap(
                seminar=seminar,
                first=data["first"].user,
                second=data["second"].user,
                changed_by=request.user,
                reason=data["reason"],
                now=now,
            )
            messages.success(
                request,
                _("%(first)s and %(second)s have swapped their papers (both locked).")
                % {
                    "first": data["first"].user.get_full_name(),
                    "second": data["second"].user.get_full_name(),
                },
            )
        return True
    if action in ("lock", "unlock"):
        allotment = get_object_or_404(
            Allotment.objects.select_related("student", "paper"),
            pk=id_or_none(request.POST.get("allotment")),
            seminar=seminar,
        )
        services.allotment_lock_set(allotment=allotment, locked=action == "lock")
        names = {"name": allotment.student.get_full_name(), "title": allotment.paper.title}
        if action == "lock":
            messages.success(request, _("%(name)s keeps “%(title)s”: a new run leaves it as it is.") % names)
        else:
            messages.success(request, _("%(name)s's paper is unlocked: a new run may change it.") % names)
        return True
    return False


def _summary(rows) -> dict:
    """How many students got their 1st, 2nd ... choice, an unranked paper, or nothing yet."""
    by_rank: dict[int, int] = {}
    unranked = without = 0
    for row in rows:
        if row.allotment is None:
            without += 1
        elif row.rank is None:
            unranked += 1
        else:
            by_rank[row.rank] = by_rank.get(row.rank, 0) + 1
    return {"total": len(rows), "by_rank": sorted(by_rank.items()), "unranked": unranked, "without": without}


@login_required
@require_http_methods(["GET", "POST"])
def allotment_publish(request, slug):
    seminar = get_seminar_with(request.user, slug, "papers.manage_allotment")
    back = reverse("papers:allotment", args=[seminar.slug])
    if is_confirmed(request):
        try:
            services.allotment_publish(seminar=seminar, published_by=request.user, now=timezone.now())
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The allotment is published; every allotted student gets an e-mail."))
        return redirect(back)
    return confirmation_page(request, _publication_confirmation(seminar, back), seminar=seminar)


def _publication_confirmation(seminar, back) -> Confirmation:
    check = selectors.publication_check(seminar, now=timezone.now())
    count = len(check.allotted)
    warnings = []
    if check.window_open:
        warnings.append(_("The ranking window is still open: students can still change their rankings."))
    if check.without_paper:
        warnings.append(
            ngettext(
                "%(count)d student has no paper: %(names)s.",
                "%(count)d students have no paper: %(names)s.",
                len(check.without_paper),
            )
            % {"count": len(check.without_paper), "names": _names(check.without_paper)}
        )
    if check.without_supervisor:
        warnings.append(
            ngettext(
                "%(count)d student's paper has no supervisor (their mail names none, and no supervisor "
                "sees them): %(names)s.",
                "%(count)d students' papers have no supervisor (their mails name none, and no supervisor "
                "sees them): %(names)s.",
                len(check.without_supervisor),
            )
            % {"count": len(check.without_supervisor), "names": _names(check.without_supervisor)}
        )
    return Confirmation(
        title=_("Publish the allotment of %(title)s") % {"title": seminar.display_title},
        consequences=[
            ngettext(
                "This mails %(count)d student their paper and its supervisor.",
                "This mails %(count)d students their paper and its supervisor.",
                count,
            )
            % {"count": count},
            _("From then on every change needs a reason, is recorded and is mailed to the student."),
        ],
        warnings=warnings,
        blockers=[str(AllotmentPublishedError.message)]
        if selectors.is_published(seminar)
        else ([] if count else [str(NothingToPublishError.message)]),
        action_label=_("Publish the allotment"),
        cancel_url=back,
    )


def _names(rows) -> str:
    return ", ".join(row.membership.user.get_full_name() for row in rows)
