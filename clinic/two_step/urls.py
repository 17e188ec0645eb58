from django.urls import path

from clinic.two_step import views

# Under /accounts/two-step/.
account_patterns = [
    path("", views.overview, name="two_step"),
    path("setup/", views.setup, name="two_step_setup"),
    path("verify/", views.verify, name="two_step_verify"),
    path("codes/", views.codes, name="two_step_codes"),
    path("codes/download/", views.codes_download, name="two_step_codes_download"),
    path("codes/new/", views.codes_regenerate, name="two_step_codes_regenerate"),
]

# Under /clinic/team/: clinic admins.
team_patterns = [
    path("<int:user_id>/two-step/reset/", views.reset, name="team_two_step_reset"),
]
