"""The API fixtures (users with permissions, clients) for the history tests."""

from tests.api.conftest import (  # noqa: F401
    _unthrottled,
    api_client,
    make_user,
    staff_client,
    staff_user,
)
