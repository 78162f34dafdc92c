"""Job fair pages, without JavaScript: the public calendar and a fair's page (with its Atom feed);
pre-registration, signed in or with a phone number and a code; the worker's ticket with its QR code;
an organisation joining with its vacancies; officers creating fairs and checking people in at the
venue on a phone (the QR code opens the check-in page; or type the number). Every write is in
fairs/services.py."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import officer_only
from accounts.phones import masked
from accounts.signin import client_address
from candidates.selectors import worker_of
from fairs import forms, selectors, services
from fairs.models import Fair, Registration
from jobs.models import Organisation
from jobs.permissions import is_officer, member_or_404
from portal.pages import CodeForm, attempt, posted, show_errors


def calendar(request):
    form = forms.CalendarForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    fairs = selectors.calendar(**data) if not form.errors else Fair.objects.none()
    return render(request, "fairs/calendar.html", {"form": form, "fairs": fairs}, status=400 if form.errors else 200)


def fair_page(request, pk, status=200):
    fair = get_object_or_404(Fair.objects.select_related("commune"), pk=pk)
    participants = fair.participants.select_related("organisation").prefetch_related("vacancies")
    worker = worker_of(request.user)
    context = {
        "fair": fair,
        "participants": participants,
        "worker": worker,
        "registration": Registration.objects.filter(fair=fair, worker=worker).first() if worker else None,
        "organisations": Organisation.objects.of_member(request.user) if not is_officer(request.user) else [],
        "officer": is_officer(request.user),
        "phone_form": forms.PhoneForm(),
    }
    return render(request, "fairs/fair.html", context, status=status)


@require_POST
@login_required
def register(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    worker = worker_of(request.user)
    if worker is None:
        messages.info(request, services.NO_PROFILE)
        return redirect("profile", step="personal")
    try:
        registration = services.register(fair=fair, worker=worker)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return fair_page(request, pk, status=400)
    return redirect("fair-ticket", token=registration.token)


def register_by_phone(request, pk):
    """Registration without an account: the number, then the code sent to it."""
    fair = get_object_or_404(Fair, pk=pk)
    form = forms.PhoneForm(posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(form, services.register_by_phone_start, fair=fair, phone=form.cleaned_data["phone"],
                address=client_address(request))  # fmt: skip
        if not form.errors:
            request.session["fair_phone"] = {"fair": fair.pk, "phone": form.cleaned_data["phone"]}
            return redirect("fair-register-code", pk=fair.pk)
    status = getattr(form, "status", 400 if form.errors else 200)
    return render(request, "fairs/register_phone.html", {"fair": fair, "form": form}, status=status)


def register_by_phone_code(request, pk):
    fair = get_object_or_404(Fair, pk=pk)
    proving = request.session.get("fair_phone")
    if not proving or proving["fair"] != fair.pk:
        return redirect("fair-register-phone", pk=fair.pk)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        call = services.register_by_phone_confirm
        registration = attempt(form, call, fair=fair, phone=proving["phone"], code=form.cleaned_data["code"])
        if registration is not None:
            del request.session["fair_phone"]
            return redirect("fair-ticket", token=registration.token)
    context = {
        "form": form,
        "title": _("Enter the code we sent"),
        "number": masked(proving["phone"]),
        "again": reverse("fair-register-phone", args=[fair.pk]),
    }
    return render(request, "frontend/code.html", context, status=getattr(form, "status", 400 if form.errors else 200))


def _registration(token) -> Registration:
    return get_object_or_404(Registration.objects.select_related("fair__commune"), token=token)


def ticket(request, token):
    """The worker's ticket: shown on the phone at the venue. Whoever holds the link sees the fair and a
    masked number, nothing more."""
    registration = _registration(token)
    return render(request, "fairs/ticket.html", {"registration": registration, "phone": masked(registration.phone)})


def check_in_address(request, registration: Registration) -> str:
    return request.build_absolute_uri(reverse("fair-check-in-token", args=[registration.token]))


def ticket_qr(request, token):
    """The QR code as SVG, made here (segno): the check-in page's address, whose only secret is the token."""
    registration = _registration(token)
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(check_in_address(request, registration), error="m").save(response, kind="svg", scale=6, border=2)
    return response


# --- Organisations ---------------------------------------------------------------------------------


@login_required
def join(request, pk, org):
    fair = get_object_or_404(Fair, pk=pk)
    organisation = get_object_or_404(Organisation, pk=org)
    member_or_404(request.user, organisation)
    form = forms.JoinForm(posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.fair_join(fair=fair, organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Your organisation takes part in this fair."))
            return redirect("fair", pk=fair.pk)
    context = {"fair": fair, "organisation": organisation, "form": form}
    return render(request, "fairs/join.html", context, status=400 if form.errors else 200)


# --- Officers ----------------------------------------------------------------------------------------


@officer_only
def fair_new(request):
    form = forms.FairForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            fair = services.fair_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The fair is in the calendar."))
            return redirect("fair", pk=fair.pk)
    return render(request, "fairs/fair_form.html", {"form": form}, status=400 if form.errors else 200)


@officer_only
def check_in(request, pk):
    """At the venue, by phone number: for someone whose phone cannot show the QR code."""
    fair = get_object_or_404(Fair, pk=pk)
    form = forms.CheckInForm(posted(request))
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.check_in(fair=fair, by=request.user, phone=form.cleaned_data["phone"])
        except ValidationError as error:
            show_errors(form, error)
    context = {"fair": fair, "form": form, "done": done, "phone": masked(done.phone) if done else ""}
    return render(request, "fairs/check_in.html", context, status=400 if form.errors else 200)


@officer_only
def check_in_token(request, token):
    """The address in the QR code: the officer's phone opens it, sees whom it names, and checks them in."""
    registration = get_object_or_404(Registration.objects.select_related("fair", "worker"), token=token)
    if request.method == "POST":
        registration = services.check_in(fair=registration.fair, by=request.user, token=token)
        messages.success(request, _("Checked in."))
    context = {"registration": registration, "phone": masked(registration.phone)}
    return render(request, "fairs/check_in_token.html", context)


# --- The calendar as an Atom feed ---------------------------------------------------------------------


class CalendarFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Job fairs in Quảng Trị")
    subtitle = gettext_lazy("Upcoming job fairs of the province's Employment Service Centre")

    def link(self):
        return reverse("fairs")

    def items(self):
        return selectors.calendar()[:100]

    def item_title(self, fair):
        return f"{date_format(fair.held_on, 'SHORT_DATE_FORMAT')} · {fair.title}"

    def item_description(self, fair):
        place = _("Online") if fair.online else f"{fair.commune.name}, {fair.address}".strip(", ")
        return place

    def item_link(self, fair):
        return reverse("fair", args=[fair.pk])

    def item_pubdate(self, fair):
        return fair.created_at
