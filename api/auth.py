"""Tokens for apps (django-rest-knox): one per device, stored only as a hash, expiring after
API_TOKEN_TTL_HOURS. Obtain one with an e-mail address and password; sign this device out, or
every device and browser at once.

Sign-in goes through `django.contrib.auth.authenticate(request=...)`, so django-axes counts
failed attempts and locks an address out exactly as on the sign-in page; a locked-out caller
gets a JSON 429 here instead of the lockout page.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.throttling import TokenRateThrottle
from clinic.audit import record_event
from clinic.models import AuditAction
from clinic.services import api_token_create, sign_out_everywhere
from clinic.two_step.services import Step, two_step_state, two_step_verify


def _check_second_step(user, otp: str, request=None) -> None:
    """Staff who sign in with two steps get a token only with a code as well: a password
    alone must not open the API either."""
    step = two_step_state(user)
    if step == Step.ENROL:
        raise serializers.ValidationError(
            {"otp": [_("Set up two-step sign-in on the website first, then ask for a token.")]}
        )
    if step == Step.VERIFY:
        if not otp:
            raise serializers.ValidationError(
                {"otp": [_("Enter the code from your authenticator app or a recovery code.")]}
            )
        try:
            two_step_verify(user=user, code=otp, request=request)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"otp": error.message_dict["code"]}) from error


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_(
            "Staff with two-step sign-in: the 6-digit code from the authenticator app "
            "or a recovery code."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, help_text="When the token stops working.")


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    clinic = serializers.IntegerField(source="clinic_id", read_only=True, allow_null=True)


def _revoke_this_token(request) -> None:
    token = request.auth
    if token is not None and hasattr(token, "digest"):
        token.delete()
        record_event(action=AuditAction.ACCESS, request=request, detail="API token revoked")


class TokenView(APIView):
    """POST: exchange an e-mail address and password for a token. DELETE: revoke this one."""

    parser_classes = [JSONParser, FormParser]

    def _obtaining(self) -> bool:
        return getattr(self.request, "method", None) == "POST"

    def get_permissions(self):
        if self._obtaining():
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self):
        if self._obtaining():
            return [*super().get_throttles(), TokenRateThrottle()]
        return super().get_throttles()

    def get_authenticators(self):
        # Obtaining a token needs no session, so no CSRF token either.
        if self._obtaining():
            return []
        return super().get_authenticators()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
        summary="Obtain a token for this device",
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=form.validated_data["email"],
            password=form.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON ourselves; otherwise axes' middleware would send its HTML page.
            django_request.axes_locked_out = False
            raise Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                detail=str(_("Too many failed sign-in attempts. Try again later.")),
            )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The e-mail address or password is not right.")]}
            )
        _check_second_step(user, form.validated_data.get("otp", ""), django_request)
        token, row = api_token_create(user=user)
        record_event(
            action=AuditAction.ACCESS, request=request, actor=user, detail="API token created"
        )
        return Response({"token": token, "expiry": row.expiry})

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="This device's token no longer works.")},
        summary="Revoke this device's token (same as POST auth/logout/)",
    )
    def delete(self, request):
        _revoke_this_token(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    """Sign this device out: the token sent with this request stops working."""

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="This device's token no longer works.")},
        summary="Sign this device out",
    )
    def post(self, request):
        _revoke_this_token(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Sign out everywhere: every token of the caller and every browser session end."""

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Every token and session has ended.")},
        summary="Sign out everywhere",
    )
    def post(self, request):
        sign_out_everywhere(user=request.user)
        record_event(action=AuditAction.ACCESS, request=request, detail="signed out everywhere")
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentUserView(APIView):
    """Who the token or session belongs to: role and clinic, so an app knows what to show."""

    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        return Response(UserSerializer(request.user).data)
