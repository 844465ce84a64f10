from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from locator.api import LocateView, PrecinctViewSet
from meetings.api import (
    CategoryViewSet,
    ComplianceView,
    MeetingViewSet,
    ResponsibleBodyViewSet,
    RoutingRuleViewSet,
    SuggestionViewSet,
)
from officers.api import AssistantViewSet, InspectorViewSet
from planning.api import (
    CandidateSiteViewSet,
    DistrictOffencesView,
    OffenceCategoryViewSet,
    OffenceCountViewSet,
    SitingPlanViewSet,
)
from preferences.views import set_language
from reach.api import CoverageListView, DistrictCoverageView
from reach.views import home
from servicepolice.token import ObtainAuthTokenView
from stations.api import (
    DistrictViewSet,
    ModularPostViewSet,
    RegionViewSet,
    SettlementViewSet,
    StationViewSet,
)

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_INDEX_TITLE

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("districts", DistrictViewSet, basename="district")
router.register("precincts", PrecinctViewSet, basename="precinct")
router.register("settlements", SettlementViewSet, basename="settlement")
router.register("stations", StationViewSet, basename="station")
router.register("posts", ModularPostViewSet, basename="modularpost")
router.register("inspectors", InspectorViewSet, basename="inspector")
router.register("assistants", AssistantViewSet, basename="assistant")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("suggestion-categories", CategoryViewSet, basename="category")
router.register("responsible-bodies", ResponsibleBodyViewSet, basename="responsiblebody")
router.register("routing-rules", RoutingRuleViewSet, basename="routingrule")
router.register("offence-categories", OffenceCategoryViewSet, basename="offencecategory")
router.register("offence-counts", OffenceCountViewSet, basename="offencecount")
router.register("candidate-sites", CandidateSiteViewSet, basename="candidatesite")
router.register("siting-plans", SitingPlanViewSet, basename="sitingplan")

api_v1 = [
    path("locate/", LocateView.as_view(), name="locate"),
    path("coverage/", CoverageListView.as_view(), name="coverage-list"),
    path("compliance/", ComplianceView.as_view(), name="compliance"),
    path("districts/<int:pk>/coverage/", DistrictCoverageView.as_view(), name="district-coverage"),
    path("districts/<int:pk>/offences/", DistrictOffencesView.as_view(), name="district-offences"),
    path("auth/token/", ObtainAuthTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]

urlpatterns = [
    path("", home, name="home"),
    path("", include("reach.urls")),
    path("", include("meetings.urls")),
    # Django's set_language that also remembers a signed-in user's choice.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("planning.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]

# Uploaded files (inspectors' photos): served by Django only in development; in production the
# web server in front serves MEDIA_ROOT at MEDIA_URL.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
