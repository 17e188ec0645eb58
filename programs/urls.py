from django.urls import path

from programs import staff_views, views

urlpatterns = [
    path("portal/", views.portal_home, name="portal_home"),
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
