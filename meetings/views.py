"""Server-rendered meeting pages: the district dashboard and the printable meeting report.

Thin: each view reads through selectors. The dashboard names inspectors and their compliance,
so it needs a login with the `meetings.view_meeting` permission (servicepolice.permissions);
the report holds what the API shows everyone.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from servicepolice.permissions import can_view_private, can_write
from stations.models import District

from . import selectors
from .models import Meeting
from .quarters import Quarter

# Open suggestions listed on the dashboard (overdue first); the registry has the rest.
OPEN_SHOWN = 50


def district_dashboard(request: HttpRequest, district_id: int) -> HttpResponse:
    """Compliance of the district's inspectors this quarter and the last, and its open and
    overdue suggestions by responsible body."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_private(request.user, Meeting):
        raise PermissionDenied
    district = (
        District.objects.select_related("region")
        .defer("geom", "region__geom")
        .filter(pk=district_id)
        .first()
    )
    if district is None or not can_view_private(request.user, Meeting, district):
        raise Http404  # outside the user's scope: as if it did not exist
    today = timezone.localdate()
    current = Quarter.of(today)
    reports = [
        selectors.compliance_report(quarter=quarter, district_id=district.pk, today=today)
        for quarter in (current, current.previous())
    ]
    by_body = selectors.suggestion_tally_by_body(district_id=district.pk, today=today)
    context = {
        "district": district,
        "today": today,
        "reports": reports,
        "at_risk": reports[0].at_risk,
        "by_body": by_body,
        "open_count": sum(tally.open for tally in by_body),
        "open_suggestions": selectors.suggestions_open(
            district_id=district.pk, today=today, limit=OPEN_SHOWN
        ),
        "can_change_suggestions": request.user.has_perm("meetings.change_suggestion")
        and can_write(request.user, district),
    }
    return render(request, "meetings/district_dashboard.html", context)


def meeting_report(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The printable report of a held meeting: attendance, minutes, suggestions."""
    meeting = selectors.meeting_report(meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    return render(
        request,
        "meetings/report.html",
        {"meeting": meeting, "suggestions": list(meeting.suggestions.all())},
    )
