"""/api/: the schema, its docs page, and version 1 of the API."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import auth, catalog, me, patients, programs
from api.errors import not_found
from api.schema import SwaggerDocsView

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

v1_patterns = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/user/", auth.CurrentUserView.as_view(), name="current_user"),
    path("me/", include(me.urlpatterns)),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1_patterns)),
    re_path(r"^[\s\S]*$", not_found),  # any other path, newlines included
]
