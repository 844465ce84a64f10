"""The four roles as Django groups and the model permissions each one holds.

Which objects a permission reaches (the user's regions, districts or own records) is decided
in servicepolice/permissions.py; here only what kind of action each role may take."""

from __future__ import annotations

from servicepolice.permissions import (
    ROLE_ADMINISTRATOR,
    ROLE_ANALYST,
    ROLE_DISTRICT_STAFF,
    ROLE_INSPECTOR,
)

# Apps of the registry (everything but accounts and Django's own plumbing).
PLATFORM_APPS = {"admin", "auth", "contenttypes", "sessions", "authtoken", "access"}

# District staff keep these current in their districts: add, change, delete, view.
DISTRICT_STAFF_MODELS = {
    ("stations", "station"),
    ("stations", "modularpost"),
    ("stations", "precinct"),
    ("stations", "settlement"),
    ("officers", "inspector"),
    ("officers", "assistant"),
    ("meetings", "meeting"),
    ("meetings", "suggestion"),
    ("planning", "offencecount"),
    ("planning", "candidatesite"),
    ("planning", "sitingplan"),
}
# Planning is the analysts' work: running a plan changes no registry record.
ANALYST_CODENAMES = {("planning", "add_sitingplan")}
# An inspector changes their own meetings and suggestions and their own public contacts.
INSPECTOR_MODELS = {
    ("meetings", "meeting"),
    ("meetings", "suggestion"),
    ("officers", "inspector"),
}


def role_codenames(role: str, permissions: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """The (app_label, codename) pairs a role holds, out of every (app_label, model, codename)."""
    chosen: set[tuple[str, str]] = set()
    for app_label, model, codename in permissions:
        action = codename.split("_", 1)[0]
        registry = app_label not in PLATFORM_APPS
        if role == ROLE_ADMINISTRATOR:
            keep = True
        elif role == ROLE_ANALYST:
            keep = registry and (action == "view" or (app_label, codename) in ANALYST_CODENAMES)
        elif role == ROLE_DISTRICT_STAFF:
            keep = registry and (action == "view" or (app_label, model) in DISTRICT_STAFF_MODELS)
        elif role == ROLE_INSPECTOR:
            keep = registry and (
                action == "view" or (action == "change" and (app_label, model) in INSPECTOR_MODELS)
            )
        else:
            keep = False
        if keep:
            chosen.add((app_label, codename))
    return chosen
