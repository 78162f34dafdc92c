"""Accounts over the API: sign-up, password reset and a new number, each proven by a code sent by SMS;
sign-in and sign-out. Every anonymous POST here checks CSRF (and with it the Origin header)."""

from django.contrib.auth import login, logout
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.authentication import VerifiedSession
from accounts.signin import LimitedModelBackend, client_address
from portal.api import Serializer, valid

BACKEND = f"{LimitedModelBackend.__module__}.{LimitedModelBackend.__name__}"


class SessionWithCsrf(SessionAuthentication):
    """DRF checks CSRF only once someone is signed in; sign-in and sign-up come before that, and without the
    check a page elsewhere could sign a visitor into an account of its choosing (login CSRF)."""

    def authenticate(self, request):
        self.enforce_csrf(request)
        return super().authenticate(request)


class SessionWithCsrfScheme(SessionScheme):
    """In the OpenAPI schema: the session cookie, with the CSRF token even before signing in."""

    target_class = SessionWithCsrf
    name = "cookieAuthWithCsrf"


class VerifiedSessionScheme(SessionScheme):
    """In the OpenAPI schema: the API's default sign-in is the session cookie (officers: with the TOTP code)."""

    target_class = VerifiedSession


class Phone(Serializer):
    phone = serializers.CharField(max_length=20, label=_("mobile number"))


class SignUpInput(Phone):
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class CodeInput(Phone):
    code = serializers.CharField(max_length=6, min_length=6, label=_("code"))


class ResetInput(CodeInput):
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class SignInInput(Phone):
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class AccountOutput(Serializer):
    phone = serializers.CharField()
    email = serializers.CharField()


class Sent(Serializer):
    detail = serializers.CharField()


SENT = _("If this number can be used, a code is on its way by SMS. It is valid for 5 minutes.")


class AnonymousApi(APIView):
    authentication_classes = [SessionWithCsrf]
    permission_classes = [AllowAny]


class CsrfApi(AnonymousApi):
    @extend_schema(responses={200: None})
    def get(self, request):
        """A CSRF token (and its cookie) for a client that has no page to read it from."""
        return Response({"csrf_token": get_token(request)})


class SignUpApi(AnonymousApi):
    @extend_schema(request=SignUpInput, responses={202: Sent})
    def post(self, request):
        services.sign_up_start(**valid(SignUpInput, request.data), address=client_address(request))
        return Response({"detail": SENT}, status=202)


class SignUpConfirmApi(AnonymousApi):
    @extend_schema(request=CodeInput, responses={201: AccountOutput})
    def post(self, request):
        user = services.sign_up_confirm(**valid(CodeInput, request.data))
        login(request, user, backend=BACKEND)
        return Response(AccountOutput(user).data, status=201)


class PasswordResetApi(AnonymousApi):
    @extend_schema(request=Phone, responses={202: Sent})
    def post(self, request):
        services.password_reset_start(**valid(Phone, request.data), address=client_address(request))
        return Response({"detail": SENT}, status=202)


class PasswordResetConfirmApi(AnonymousApi):
    @extend_schema(request=ResetInput, responses={200: AccountOutput})
    def post(self, request):
        user = services.password_reset_confirm(**valid(ResetInput, request.data))
        login(request, user, backend=BACKEND)
        return Response(AccountOutput(user).data)


class SignInApi(AnonymousApi):
    @extend_schema(request=SignInInput, responses=AccountOutput)
    def post(self, request):
        data = valid(SignInInput, request.data)
        user = services.sign_in(request, login_name=data["phone"], password=data["password"])
        return Response(AccountOutput(user).data)


class SignOutApi(APIView):
    authentication_classes = [SessionWithCsrf]  # an officer who has not typed the TOTP code may leave too

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        logout(request)
        return Response(status=204)


class PhoneChangeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=Phone, responses={202: Sent})
    def post(self, request):
        data = valid(Phone, request.data)
        services.phone_change_start(user=request.user, phone=data["phone"], address=client_address(request))
        return Response({"detail": SENT}, status=202)


class PhoneChangeConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CodeInput, responses={200: AccountOutput})
    def post(self, request):
        data = valid(CodeInput, request.data)
        user = services.phone_change_confirm(user=request.user, phone=data["phone"], code=data["code"])
        return Response(AccountOutput(user).data)
