"""/api/: the schema, its docs page, and version 1 of the API on one router."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import auth
from api.catalog import views as catalog
from api.errors import not_found
from api.me import views as me
from api.measures import views as measures
from api.patients import views as patients
from api.programs import views as programs
from api.schema import SwaggerDocsView
from api.team import views as team

router = SimpleRouter()
router.register("exercises", catalog.ExerciseViewSet, basename="exercise")
router.register("series", catalog.ProgressionSeriesViewSet, basename="series")
router.register("equipment", catalog.EquipmentViewSet, basename="equipment")
router.register("disclaimers", catalog.DisclaimerViewSet, basename="disclaimer")
router.register("patients", patients.PatientViewSet, basename="patient")
router.register("programs", programs.ProgramViewSet, basename="program")
router.register(
    r"programs/(?P<program_pk>[0-9]+)/items", programs.ProgramItemViewSet, basename="program-item"
)
router.register(
    r"programs/(?P<program_pk>[0-9]+)/logs", programs.ProgramLogViewSet, basename="program-log"
)
router.register("templates", programs.TemplateViewSet, basename="template")
router.register("team", team.StaffMemberViewSet, basename="team-member")
router.register("me/programs", me.MyProgramViewSet, basename="me-program")
router.register("me/logs", me.MyLogViewSet, basename="me-log")
router.register("me/pain-checks", me.MyPainCheckViewSet, basename="me-pain-check")
router.register("measures", measures.InstrumentViewSet, basename="measure")
router.register(
    r"patients/(?P<patient_pk>[0-9]+)/measures",
    measures.PatientMeasureViewSet,
    basename="patient-measure",
)
router.register("me/measures", measures.MyMeasureViewSet, basename="me-measure")

v1_patterns = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", auth.LogoutAllView.as_view(), name="logout-all"),
    path("auth/user/", auth.CurrentUserView.as_view(), name="current_user"),
    path("me/today/", me.TodayView.as_view(), name="me-today"),
    path("me/disclaimer/", me.MyDisclaimerView.as_view(), name="me-disclaimer"),
    path("me/reminders/", me.MyRemindersView.as_view(), name="me-reminders"),
    path("dashboard/", programs.DashboardView.as_view(), name="dashboard"),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1_patterns)),
    re_path(r"^[\s\S]*$", not_found),  # any other path, newlines included
]
