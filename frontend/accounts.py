"""Pages to get in: sign up, sign in, a forgotten password, a new number. Each number is proven by a code
sent by SMS, typed on the next page; the number waits in the session between the two. No JavaScript."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.api import BACKEND
from accounts.phones import masked, normalise_mobile
from accounts.signin import client_address
from frontend import forms
from jobs.permissions import is_officer
from portal.pages import CodeForm, attempt, posted, safe_next


def page(request, template, form, **context):
    status = getattr(form, "status", 400 if form.errors else 200)
    return render(request, f"frontend/{template}.html", {"form": form, **context}, status=status)


def signup(request):
    form = forms.SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(form, services.sign_up_start, **form.cleaned_data, address=client_address(request))
        if not form.errors:
            request.session["proving"] = {"phone": form.cleaned_data["phone"], "next": safe_next(request, "")}
            return redirect("signup-confirm")
    return page(request, "signup", form, next=safe_next(request, ""))


def signup_confirm(request):
    proving = request.session.get("proving")
    if not proving:
        return redirect("signup")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = attempt(form, services.sign_up_confirm, phone=proving["phone"], code=form.cleaned_data["code"])
        if user is not None:
            del request.session["proving"]
            login(request, user, backend=BACKEND)
            target = proving["next"] or reverse("my-matches")
            if target.startswith(reverse("organisations")):  # an employer: no worker profile to fill in
                messages.success(request, _("Your account is ready."))
                return redirect(target)
            request.session["after_profile"] = target
            messages.success(request, _("Your account is ready. Now a few short steps about you."))
            return redirect("profile", step="personal")
    return page(
        request,
        "code",
        form,
        title=_("Enter the code we sent"),
        number=masked_typed(proving["phone"]),
        again=reverse("signup"),
    )


def masked_typed(phone: str) -> str:
    return masked(normalise_mobile(phone))


def signin(request):
    form = forms.SignInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = attempt(form, services.sign_in, request, login_name=data["phone"], password=data["password"])
        if user is not None:
            if is_officer(user):
                default = reverse("desk-queues")
            elif user.memberships.exists():
                default = reverse("organisations")
            else:
                default = reverse("my-matches")
            return redirect(safe_next(request, default))
    return page(request, "signin", form, next=safe_next(request, ""))


@require_POST
def signout(request):
    logout(request)
    return redirect("home")


def password_reset(request):
    form = forms.PhoneForm(posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(
            form,
            services.password_reset_start,
            phone=form.cleaned_data["phone"],
            address=client_address(request),
        )
        if not form.errors:
            request.session["resetting"] = form.cleaned_data["phone"]
            return redirect("password-reset-confirm")
    return page(request, "password_reset", form)


def password_reset_confirm(request):
    phone = request.session.get("resetting")
    if not phone:
        return redirect("password-reset")
    form = forms.ResetConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = attempt(form, services.password_reset_confirm, phone=phone, **form.cleaned_data)
        if user is not None:
            del request.session["resetting"]
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your new password is set; you are signed in."))
            return redirect("organisations" if user.memberships.exists() else "my-matches")
    return page(
        request,
        "code",
        form,
        title=_("Choose a new password"),
        number=masked_typed(phone),
        again=reverse("password-reset"),
    )


@login_required
def phone_change(request):
    form = forms.NewPhoneForm(posted(request))
    if request.method == "POST" and form.is_valid():
        attempt(
            form,
            services.phone_change_start,
            user=request.user,
            phone=form.cleaned_data["phone"],
            address=client_address(request),
        )
        if not form.errors:
            request.session["new_phone"] = form.cleaned_data["phone"]
            return redirect("phone-change-confirm")
    return page(request, "phone_change", form, current=masked(request.user.phone))


@login_required
def phone_change_confirm(request):
    phone = request.session.get("new_phone")
    if not phone:
        return redirect("phone-change")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = attempt(
            form, services.phone_change_confirm, user=request.user, phone=phone, code=form.cleaned_data["code"]
        )
        if user is not None:
            del request.session["new_phone"]
            messages.success(request, _("Your mobile number is changed."))
            return redirect("my-data")
    return page(
        request,
        "code",
        form,
        title=_("Enter the code we sent"),
        number=masked_typed(phone),
        again=reverse("phone-change"),
    )
