"""The planning pages of a district and of a whole region."""

from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("districts/<int:district_id>/planning/", views.district_planning, name="district"),
    path("regions/<int:region_id>/planning/", views.region_planning, name="region"),
]
