"""What the team endpoints send."""

from api.output import OutputSerializer
from clinic.models import User


class StaffMemberSerializer(OutputSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role", "is_active"]
        read_only_fields = fields
