"""Tokens for apps: obtain one with an e-mail address and password, revoke your own.

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
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.throttling import TokenRateThrottle
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


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    clinic = serializers.IntegerField(source="clinic_id", read_only=True, allow_null=True)


class TokenView(APIView):
    """POST: exchange an e-mail address and password for a token. DELETE: revoke yours."""

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
        summary="Obtain a token",
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
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Token revoked.")})
    def delete(self, request):
        """Revoke the caller's token: apps call this on sign-out."""
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentUserView(APIView):
    """Who the token or session belongs to: role and clinic, so an app knows what to show."""

    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        return Response(UserSerializer(request.user).data)
