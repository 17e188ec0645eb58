from django.urls import path

from programs import staff_views, views

urlpatterns = [
    # --- Patient portal ---
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/disclaimer/", views.portal_disclaimer, name="portal_disclaimer"),
    path("portal/pain-check/", views.portal_pain_check, name="portal_pain_check"),
    path("portal/pain-check/later/", views.portal_pain_check_later, name="portal_pain_check_later"),
    path("portal/days/", views.portal_missed_days, name="portal_missed_days"),
    path("portal/days/<str:day>/", views.portal_day, name="portal_day"),
    path("portal/history/", views.portal_history, name="portal_history"),
    path("portal/items/<int:pk>/", views.portal_exercise, name="portal_exercise"),
    path("portal/items/<int:pk>/check/", views.portal_check, name="portal_check"),
    path("portal/items/<int:pk>/undo/", views.portal_undo, name="portal_undo"),
    path("portal/items/<int:pk>/image/", views.portal_item_image, name="portal_item_image"),
    # --- Therapist's program builder ---
    path(
        "patients/<int:patient_pk>/programs/new/",
        staff_views.program_create,
        name="program_create",
    ),
    path("programs/templates/", staff_views.template_list, name="template_list"),
    path("programs/<int:pk>/", staff_views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", staff_views.program_edit, name="program_edit"),
    path("programs/<int:pk>/status/", staff_views.program_status, name="program_status"),
    path("programs/<int:pk>/items/", staff_views.program_item_add, name="program_item_add"),
    path(
        "programs/<int:pk>/save-as-template/",
        staff_views.program_save_as_template,
        name="program_save_as_template",
    ),
    path("programs/<int:pk>/handout/", staff_views.program_handout, name="program_handout"),
    path("programs/items/<int:pk>/", staff_views.program_item_edit, name="program_item_edit"),
    path("programs/items/<int:pk>/move/", staff_views.program_item_move, name="program_item_move"),
    path(
        "programs/items/<int:pk>/remove/",
        staff_views.program_item_remove,
        name="program_item_remove",
    ),
    path(
        "programs/items/<int:pk>/next/",
        staff_views.program_item_progress,
        {"direction": "next"},
        name="program_item_next",
    ),
    path(
        "programs/items/<int:pk>/previous/",
        staff_views.program_item_progress,
        {"direction": "previous"},
        name="program_item_previous",
    ),
]
