"""The clinic's team, for clinic admins: list, read, deactivate and reactivate (safeguard 14).
Invitations stay on the web's team page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import IsClinicAdmin
from api.team.serializers import StaffMemberSerializer
from clinic.models import Role, User
from clinic.services import access_set_active


class StaffMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsClinicAdmin]
    serializer_class = StaffMemberSerializer
    ordering_fields = ["last_name", "first_name", "email"]
    ordering = ["last_name", "first_name", "pk"]
    filterset_fields = ["role", "is_active"]

    def get_queryset(self):
        return User.objects.for_user(self.request.user).filter(role__in=Role.staff_roles())

    def _set_access(self, active: bool):
        member = self.get_object()
        access_set_active(actor=self.request.user, active=active, user=member, request=self.request)
        return Response(StaffMemberSerializer(member).data)

    @extend_schema(request=None, responses={200: StaffMemberSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """The member can no longer sign in; every session and token of theirs ends at once.
        Not yourself, and never the clinic's last active admin (400)."""
        return self._set_access(False)

    @extend_schema(request=None, responses={200: StaffMemberSerializer})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """The member can sign in again."""
        return self._set_access(True)
