from django.urls import path

from programs.measures import views

urlpatterns = [
    path("patients/<int:pk>/measures/assign/", views.measure_assign, name="measure_assign"),
    path("patients/measures/<int:pk>/stop/", views.measure_stop, name="measure_stop"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/export.csv", views.measure_export, name="measure_export"),
]
