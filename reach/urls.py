"""Coverage pages (server-rendered; their map layers come from /api/v1/)."""

from django.urls import path

from . import views

app_name = "reach"

urlpatterns = [
    path("map/", views.overview, name="overview"),
    path("districts/<int:district_id>/", views.district_page, name="district"),
    path("precincts/<int:precinct_id>/", views.precinct_page, name="precinct"),
    path("precincts/<int:precinct_id>/agenda/", views.agenda, name="agenda"),
    path("find/", views.find, name="find"),
]
