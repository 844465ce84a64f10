"""A district staff user in the admin: their district's stations to edit, their region's to
read, and nothing of another region."""

import pytest

from tests.access import conftest as access

# The territory of three districts and the role users of the scope matrices.
world = access.world
role_user = access.role_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_staff_see_only_their_regions_stations(page, live_server, world, role_user):
    user = role_user("staff")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "role-password-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/stations/station/")
    rows = page.locator("#result_list tbody tr")
    rows.first.wait_for(state="visible")
    listed = page.locator("#result_list").inner_text()
    home, neighbour, far = (world[p].station for p in ("home", "neighbour", "far"))
    assert rows.count() == 2
    assert home.address in listed and neighbour.address in listed
    assert far.address not in listed

    # Their own district's station opens for editing, the neighbour's read only, the far
    # one not at all.
    page.goto(f"{live_server.url}/admin/stations/station/{home.pk}/change/")
    assert page.locator("input[name=_save]").count() == 1
    page.goto(f"{live_server.url}/admin/stations/station/{neighbour.pk}/change/")
    page.locator("#content").wait_for(state="visible")
    assert page.locator("input[name=_save]").count() == 0
    page.goto(f"{live_server.url}/admin/stations/station/{far.pk}/change/")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator(".messagelist").inner_text()
