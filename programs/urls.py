from django.urls import include, path

from programs import dashboard_views, patient_views, views

patient_patterns = [
    path("", patient_views.patient_list, name="patient_list"),
    path("new/", patient_views.patient_add, name="patient_add"),
    path("digest/", patient_views.digest_settings, name="digest_settings"),
    path("<int:pk>/", patient_views.patient_detail, name="patient_detail"),
    path("<int:pk>/edit/", patient_views.patient_edit, name="patient_edit"),
    path("<int:pk>/access/", patient_views.patient_access, name="patient_access"),
    path(
        "<int:pk>/invitation/",
        patient_views.patient_invitation_resend,
        name="patient_invitation_resend",
    ),
]

urlpatterns = [
    # --- Who needs attention today ---
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/patients/<int:pk>/review/",
        dashboard_views.attention_review,
        name="attention_review",
    ),
    # --- The therapist's patient pages ---
    path("patients/", include(patient_patterns)),
    # --- Outcome measures (assign, stop, the list, the CSV export) ---
    path("", include("programs.measures.urls")),
    # --- Therapist's program builder ---
    path(
        "patients/<int:patient_pk>/programs/new/",
        views.program_create,
        name="program_create",
    ),
    path("programs/templates/", views.template_list, name="template_list"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/status/", views.program_status, name="program_status"),
    path("programs/<int:pk>/items/", views.program_item_add, name="program_item_add"),
    path(
        "programs/<int:pk>/save-as-template/",
        views.program_save_as_template,
        name="program_save_as_template",
    ),
    path("programs/<int:pk>/handout/", views.program_handout, name="program_handout"),
    path("programs/<int:pk>/handout.pdf", views.program_handout_pdf, name="program_handout_pdf"),
    path(
        "programs/<int:pk>/handout/email/",
        views.program_handout_email,
        name="program_handout_email",
    ),
    path("programs/<int:pk>/copy/", views.program_copy, name="program_copy"),
    path("programs/items/<int:pk>/", views.program_item_edit, name="program_item_edit"),
    path("programs/items/<int:pk>/move/", views.program_item_move, name="program_item_move"),
    path(
        "programs/items/<int:pk>/remove/",
        views.program_item_remove,
        name="program_item_remove",
    ),
    path(
        "programs/items/<int:pk>/next/",
        views.program_item_progress,
        {"direction": "next"},
        name="program_item_next",
    ),
    path(
        "programs/items/<int:pk>/previous/",
        views.program_item_progress,
        {"direction": "previous"},
        name="program_item_previous",
    ),
]
