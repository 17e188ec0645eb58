from django.urls import path

from programs import views

urlpatterns = [
    path("portal/", views.portal_home, name="portal_home"),
]
