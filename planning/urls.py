"""The planning page of a district."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("districts/<int:district_id>/planning/", views.district_planning, name="district"),
]
