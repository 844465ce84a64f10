"""The API token endpoint (`POST /api/v1/auth/token/`), throttled by django-axes."""

from rest_framework.authtoken.views import ObtainAuthToken


class ObtainAuthTokenView(ObtainAuthToken):
    """DRF's token endpoint, authenticating against the Django request: django-axes counts the
    failures there and, once locked out, answers through its middleware (see
    security.lockout_response)."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}
