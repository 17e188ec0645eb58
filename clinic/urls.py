from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import team_views, views
from clinic.two_step import urls as two_step_urls

account_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", views.sign_in_link_request, name="sign_in_link_request"),
    path("login/link/sent/", views.sign_in_link_sent, name="sign_in_link_sent"),
    path("login/link/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("two-step/", include(two_step_urls.account_patterns)),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

clinic_patterns = [
    path("settings/", team_views.clinic_settings, name="clinic_settings"),
    path("team/", team_views.team, name="team"),
    path("team/", include(two_step_urls.team_patterns)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include(account_patterns)),
    path("clinic/", include(clinic_patterns)),
    path("catalog/", include("exercises.urls")),
    path("", include("programs.urls")),
    path("portal/", include("portal.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
