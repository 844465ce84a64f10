"""Every role × every registry model × (list, view, change, add, delete) through the admin, on
a record of the user's home district, of a neighbouring district of the same region and of a
district of another region. Expected outcomes are written out in EXPECTED."""

from __future__ import annotations

import pytest

from tests.access.conftest import PLACES, ROLE_USERS
from tests.access.test_api_matrix import RESOURCES

ADMIN_PATHS = {
    "regions": "stations/region",
    "districts": "stations/district",
    "precincts": "stations/precinct",
    "settlements": "stations/settlement",
    "stations": "stations/station",
    "posts": "stations/modularpost",
    "inspectors": "officers/inspector",
    "assistants": "officers/assistant",
    "meetings": "meetings/meeting",
    "suggestions": "meetings/suggestion",
    "suggestion-categories": "meetings/category",
}

# Per role and model: the change page of the (home, neighbour, far) records — "edit" (a form
# with Save), "view" (read only), "absent" (as if it did not exist: listed nowhere, the page
# redirects), "403" (no permission for the model at all), "login" —, then the add page's
# status, then deleting a spare record of each place: "deleted", "protected" (allowed, but the
# assignment history holds it), "403", "absent".
EXPECTED: dict[tuple[str, str], str] = {}
STAFF_MODELS = [
    "precincts",
    "settlements",
    "stations",
    "posts",
    "inspectors",
    "assistants",
    "meetings",
    "suggestions",
]


def _rows(role: str, table: dict[str, str]) -> None:
    for name, row in table.items():
        EXPECTED[(role, name)] = row


_rows(
    "administrator",
    {
        name: "edit edit edit | 200 | deleted deleted deleted"
        for name in RESOURCES
        if name != "inspectors"
    },
)
_rows("administrator", {"inspectors": "edit edit edit | 200 | protected protected protected"})
_rows(
    "analyst",
    {name: "view view absent | 403 | 403 403 403" for name in RESOURCES}
    | {"suggestion-categories": "view view view | 403 | 403 403 403"},
)
_rows(
    "staff",
    {
        "regions": "view view absent | 403 | 403 403 403",
        "districts": "view view absent | 403 | 403 403 403",
        "precincts": "edit view absent | 200 | deleted 403 absent",
        "settlements": "edit view absent | 200 | deleted 403 absent",
        "stations": "edit view absent | 200 | deleted 403 absent",
        "posts": "edit view absent | 200 | deleted 403 absent",
        "inspectors": "edit view absent | 200 | protected 403 absent",
        "assistants": "edit view absent | 200 | deleted 403 absent",
        "meetings": "edit view absent | 200 | deleted 403 absent",
        "suggestions": "edit view absent | 200 | deleted 403 absent",
        "suggestion-categories": "view view view | 403 | 403 403 403",
    },
)
_rows(
    "inspector",
    {
        "regions": "view view absent | 403 | 403 403 403",
        "districts": "view absent absent | 403 | 403 403 403",
        "precincts": "view absent absent | 403 | 403 403 403",
        "settlements": "view absent absent | 403 | 403 403 403",
        "stations": "view absent absent | 403 | 403 403 403",
        "posts": "view absent absent | 403 | 403 403 403",
        "inspectors": "edit absent absent | 403 | 403 403 403",
        "assistants": "view absent absent | 403 | 403 403 403",
        "meetings": "edit absent absent | 403 | 403 403 403",
        "suggestions": "edit absent absent | 403 | 403 403 403",
        "suggestion-categories": "view view view | 403 | 403 403 403",
    },
)
_rows("public", {name: "403 403 403 | 403 | 403 403 403" for name in RESOURCES})
_rows("anonymous", {name: "login login login | 302 | login login login" for name in RESOURCES})


def test_the_table_covers_every_role_and_model():
    assert set(EXPECTED) == {(role, name) for role in ROLE_USERS for name in RESOURCES}
    assert all(
        EXPECTED[("staff", name)].startswith("edit") for name in STAFF_MODELS
    )  # district staff edit every model of their district's work


def _page(client, path: str) -> str:
    response = client.get(path)
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "absent"
    if response.status_code == 403:
        return "403"
    assert response.status_code == 200, (path, response.status_code)
    return "edit" if 'name="_save"' in response.content.decode() else "view"


def _delete(client, path: str, model, pk) -> str:
    response = client.post(path, {"post": "yes"})
    exists = model.objects.filter(pk=pk).exists()
    if response.status_code == 403:
        assert exists
        return "403"
    if response.status_code == 302:
        if "/login/" in response["Location"]:
            assert exists
            return "login"
        return "absent" if exists else "deleted"
    assert response.status_code == 200 and exists, response.status_code
    return "protected"


@pytest.mark.parametrize("resource_name", list(RESOURCES))
@pytest.mark.parametrize("role", ROLE_USERS)
def test_admin_scope_matrix(role, resource_name, world, role_user, client):
    resource = RESOURCES[resource_name]
    pages, add, deletes = (part.split() for part in EXPECTED[(role, resource_name)].split("|"))
    user = role_user(role)
    if user is not None:
        client.force_login(user)
    base = f"/admin/{ADMIN_PATHS[resource_name]}/"
    records = {place: resource.record(world[place]) for place in PLACES}

    listed = client.get(base)
    if pages[0] in ("edit", "view"):
        assert listed.status_code == 200
        html = listed.content.decode()
        for place, page in zip(PLACES, pages, strict=True):
            shown = f"{base}{records[place].pk}/change/" in html
            assert shown == (page != "absent"), (place, "changelist")
    else:
        assert listed.status_code == (403 if pages[0] == "403" else 302)

    got_pages = [_page(client, f"{base}{records[p].pk}/change/") for p in PLACES]
    got_add = client.get(f"{base}add/").status_code
    got_deletes = []
    for place in PLACES:
        spare = resource.spare(world[place])
        got_deletes.append(_delete(client, f"{base}{spare.pk}/delete/", type(spare), spare.pk))

    assert (got_pages, got_add, got_deletes) == (pages, int(add[0]), deletes)
