"""Meeting pages: the district dashboard and the printable report of a held meeting."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path(
        "districts/<int:district_id>/meetings/",
        views.district_dashboard,
        name="district-dashboard",
    ),
    path("meetings/<int:meeting_id>/report/", views.meeting_report, name="report"),
]
