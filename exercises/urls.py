from django.urls import path

from exercises import views

app_name = "catalog"

urlpatterns = [
    path("", views.exercise_list, name="exercise_list"),
    path("exercises/new/", views.exercise_create, name="exercise_create"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/image/", views.exercise_image, name="exercise_image"),
    path("exercises/<int:pk>/video/", views.exercise_video, name="exercise_video"),
    path(
        "exercises/<int:pk>/video/poster/",
        views.exercise_video_poster,
        name="exercise_video_poster",
    ),
    path(
        "exercises/<int:pk>/illustration/<slug:frame>.svg",
        views.exercise_illustration,
        name="exercise_illustration",
    ),
    path("exercises/<int:pk>/poses/", views.exercise_poses, name="exercise_poses"),
    path(
        "exercises/<int:pk>/poses/preview/<slug:frame>.svg",
        views.exercise_poses_preview,
        name="exercise_poses_preview",
    ),
    path("exercises/<int:pk>/edit/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<int:pk>/archive/", views.exercise_archive, name="exercise_archive"),
    path("exercises/<int:pk>/restore/", views.exercise_restore, name="exercise_restore"),
    path("exercises/<int:pk>/copy/", views.exercise_copy, name="exercise_copy"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/steps/", views.series_step_add, name="series_step_add"),
    path("series/<int:pk>/steps/<int:step_pk>/", views.series_step_edit, name="series_step_edit"),
    path(
        "series/<int:pk>/steps/<int:step_pk>/move/",
        views.series_step_move,
        name="series_step_move",
    ),
    path(
        "series/<int:pk>/steps/<int:step_pk>/remove/",
        views.series_step_remove,
        name="series_step_remove",
    ),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/edit/", views.equipment_edit, name="equipment_edit"),
    path("disclaimers/", views.disclaimer_list, name="disclaimer_list"),
    path("disclaimers/<int:pk>/", views.disclaimer_detail, name="disclaimer_detail"),
    path("disclaimers/publish/<slug:kind>/", views.disclaimer_publish, name="disclaimer_publish"),
]
