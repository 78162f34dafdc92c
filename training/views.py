"""Training pages, without JavaScript: course search and a course for everyone; enrolling and "my courses"
for workers; courses and their enrolments for institutions; the review of courses for officers. Every read
and write goes through search/queries.py and training/services.py, as the API does."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import officer_only
from candidates.selectors import worker_of
from frontend.workers import SEARCH_DOWN, TOO_MANY, SearchDown, searching, too_many
from jobs.models import Organisation
from jobs.permissions import may_act_for, member_or_404
from portal.pages import call_and_flash, posted, show_errors
from search import queries
from training import forms, selectors, services
from training.models import Course, CourseLevel, Enrolment


def courses(request):
    form = forms.CourseSearchForm(request.GET or None)
    context = {"form": form}
    if too_many(request):  # the API's fair share of search, as on the vacancy results
        return render(request, "training/courses.html", {"form": form, "error": TOO_MANY}, status=429)
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        query = queries.CourseQuery(
            q=data.get("q", ""),
            occupation=data.get("occupation") or None,
            level=data.get("level") or None,
            language=data.get("language") or None,
        )
        if data.get("for_me") and (worker := worker_of(request.user)) is not None:
            query = selectors.for_worker(query, worker)
        try:
            context["found"] = presented(searching(queries.course_search, query))
        except SearchDown:
            return render(request, "training/courses.html", {"form": form, "error": SEARCH_DOWN}, status=503)
    return render(request, "training/courses.html", context, status=400 if form.errors else 200)


def presented(found: dict) -> dict:
    """Index documents as the list shows them: dates as dates, the level in words, highlights as HTML."""
    for course in found["results"]:
        course["start"], course["end"] = (
            date.fromisoformat(course["start_date"]),
            date.fromisoformat(course["end_date"]),
        )
        course["level_label"] = CourseLevel(course["level"]).label
        highlighted = course["highlight"].get("title", "")
        course["title_html"] = mark_safe(highlighted)  # noqa: S308 — escaped by search.text.highlight
    return found


def _course(user, pk) -> Course:
    visible = Course.objects.seen_by(user).with_taken()
    return get_object_or_404(visible.select_related("organisation", "occupation", "commune"), pk=pk)


def course_page(request, pk, errors=None, status=200):
    course = _course(request.user, pk)
    worker = worker_of(request.user)
    context = {
        "course": course,
        "seats_left": max(0, course.seats - course.taken),
        "support": services.support_for(course),
        "manages": may_act_for(request.user, course.organisation),
        "enrolment": Enrolment.objects.filter(course=course, worker=worker).first() if worker else None,
        "worker": worker,
        "errors": errors or [],
    }
    return render(request, "training/course.html", context, status=status)


@require_POST
@login_required
def course_enrol(request, pk):
    worker = worker_of(request.user)
    if worker is None:
        messages.info(request, _("Fill in your profile first; then you can enrol."))
        return redirect("profile", step="personal")
    try:
        services.enrol(worker=worker, course=_course(request.user, pk))
    except ValidationError as error:
        return course_page(request, pk, errors=error.messages, status=400)
    messages.success(request, _("You asked for a seat. The institution will confirm your enrolment."))
    return redirect("my-courses")


@require_POST
@login_required
def my_course_withdraw(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk, worker__user=request.user)
    call_and_flash(
        request, services.enrolment_withdraw, enrolment=enrolment, by=request.user, done=_("Your seat is given up.")
    )
    return redirect("my-courses")


@login_required
def my_courses(request):
    enrolments = Enrolment.objects.filter(worker__user=request.user).select_related("course__organisation")
    return render(request, "training/my_courses.html", {"enrolments": enrolments})


# --- Institutions ---------------------------------------------------------------------------------


@login_required
def org_courses(request, org):
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    listed = organisation.courses.with_taken().order_by("-start_date")
    return render(request, "training/org_courses.html", {"organisation": organisation, "courses": listed})


def _own_course(request, pk) -> Course:
    course = get_object_or_404(Course.objects.select_related("organisation"), pk=pk)
    member_or_404(request.user, course.organisation)
    return course


def _course_form(request, organisation, course=None):
    form = forms.CourseForm(posted(request), initial=forms.CourseForm.initial_from(course) if course else None)
    if request.method == "POST" and form.is_valid():
        try:
            if course is None:
                course = services.course_create(organisation=organisation, by=request.user, **form.cleaned_data)
            else:
                course = services.course_update(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Course saved. Send it for review to publish it."))
            return redirect("org-course", pk=course.pk)
    context = {"form": form, "organisation": organisation, "course": course}
    return render(request, "training/org_course_form.html", context, status=400 if form.errors else 200)


@login_required
def course_new(request, org):
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    return _course_form(request, organisation)


@login_required
def course_edit(request, pk):
    course = _own_course(request, pk)
    return _course_form(request, course.organisation, course)


@require_POST
@login_required
def course_submit(request, pk):
    course = _own_course(request, pk)
    call_and_flash(
        request,
        services.course_submit,
        course=course,
        by=request.user,
        done=_("Sent for review."),
        refused=_("Not sent:"),
    )
    return redirect("org-course", pk=pk)


@login_required
def course_enrolments(request, pk):
    return _enrolments_page(request, _own_course(request, pk))


def _enrolments_page(request, course, failed=None, status=200):
    """Each enrolment with its own completion form (ids of its own: one page holds many); `failed` is the
    bound form of the one whose outcome was refused, shown with its errors."""
    enrolments = list(course.enrolments.select_related("worker").order_by("applied_at"))
    services.enrolments_shown(viewer=request.user, enrolments=enrolments)
    rows = [
        (e, failed if failed and failed.enrolment == e.pk else forms.CompletionForm(auto_id=f"e{e.pk}_%s"))
        for e in enrolments
    ]
    return render(request, "training/org_enrolments.html", {"course": course, "rows": rows}, status=status)


def _own_enrolment(request, pk) -> Enrolment:
    enrolment = get_object_or_404(Enrolment.objects.select_related("course__organisation"), pk=pk)
    member_or_404(request.user, enrolment.course.organisation)
    return enrolment


@require_POST
@login_required
def enrolment_accept(request, pk):
    enrolment = _own_enrolment(request, pk)
    call_and_flash(request, services.enrolment_accept, enrolment=enrolment, by=request.user, done=_("Enrolled."))
    return redirect("org-course-enrolments", pk=enrolment.course_id)


@require_POST
@login_required
def enrolment_complete(request, pk):
    enrolment = _own_enrolment(request, pk)
    form = forms.CompletionForm(request.POST, auto_id=f"e{pk}_%s")
    form.enrolment = pk
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} | {
            "passed": form.cleaned_data["passed"]
        }
        try:
            services.enrolment_complete(enrolment=enrolment, by=request.user, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Completion recorded."))
            return redirect("org-course-enrolments", pk=enrolment.course_id)
    return _enrolments_page(request, enrolment.course, failed=form, status=400)


# --- Officers -------------------------------------------------------------------------------------


@officer_only
def review(request):
    pending = Course.objects.pending_review().select_related("organisation", "occupation", "commune")
    return render(request, "training/review.html", {"courses": pending, "reject": forms.ReasonForm()})


@require_POST
@officer_only
def review_decide(request, pk):
    course = get_object_or_404(Course, pk=pk)
    if request.POST.get("decision") == "approve":
        call_and_flash(request, services.course_approve, course=course, by=request.user, done=_("Course published."))
    else:
        call_and_flash(
            request,
            services.course_reject,
            course=course,
            by=request.user,
            reason=request.POST.get("reason", ""),
            done=_("Course rejected."),
        )
    return redirect("training-review")
