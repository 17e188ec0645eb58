from django.urls import path

from portal import questionnaire_views, session_views, views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("disclaimer/", views.portal_disclaimer, name="portal_disclaimer"),
    path("pain-check/", views.portal_pain_check, name="portal_pain_check"),
    path("pain-check/later/", views.portal_pain_check_later, name="portal_pain_check_later"),
    path("days/", views.portal_missed_days, name="portal_missed_days"),
    path("days/<str:day>/", views.portal_day, name="portal_day"),
    path("session/", session_views.portal_session, name="portal_session"),
    path(
        "session/<int:session>/<int:step>/",
        session_views.portal_session_step,
        name="portal_session_step",
    ),
    path(
        "session/<int:session>/done/",
        session_views.portal_session_done,
        name="portal_session_done",
    ),
    path("history/", views.portal_history, name="portal_history"),
    path("reminders/", views.portal_reminders, name="portal_reminders"),
    path("push/subscribe/", views.portal_push_subscribe, name="portal_push_subscribe"),
    path("sw.js", views.portal_service_worker, name="portal_service_worker"),
    path("manifest.webmanifest", views.portal_manifest, name="portal_manifest"),
    path(
        "reminders/unsubscribe/<str:token>/",
        views.portal_unsubscribe,
        name="portal_unsubscribe",
    ),
    path("items/<int:pk>/", views.portal_exercise, name="portal_exercise"),
    path("items/<int:pk>/check/", views.portal_check, name="portal_check"),
    path("items/<int:pk>/undo/", views.portal_undo, name="portal_undo"),
    path("items/<int:pk>/image/", views.portal_item_image, name="portal_item_image"),
    path("items/<int:pk>/video/", views.portal_item_video, name="portal_item_video"),
    path(
        "items/<int:pk>/video/poster/",
        views.portal_item_video_poster,
        name="portal_item_video_poster",
    ),
    path(
        "questionnaires/<int:pk>/",
        questionnaire_views.portal_questionnaire,
        name="portal_questionnaire",
    ),
    path(
        "questionnaires/<int:pk>/review/",
        questionnaire_views.portal_questionnaire_review,
        name="portal_questionnaire_review",
    ),
    path(
        "items/<int:pk>/illustration/<slug:frame>.svg",
        views.portal_item_illustration,
        name="portal_item_illustration",
    ),
]
