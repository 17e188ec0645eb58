"""What every staff page's navigation shows: how many of my patients need attention."""

from programs.attention import dashboard_scope
from programs.status import needing_attention


def attention(request):
    """`attention_count`, computed only when a template reads it (the staff navigation):
    one COUNT over the stored statuses of the user's own patients."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinic_staff:
        return {}

    def count() -> int:
        return needing_attention(
            dashboard_scope(user, everyone=False), clinic=user.clinic_id
        ).count()

    return {"attention_count": count}
