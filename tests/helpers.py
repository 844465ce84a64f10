"""Small assertion helpers for validation errors."""

from django.core.exceptions import ValidationError


def codes(exc: ValidationError, field: str) -> list[str]:
    """The error codes a ValidationError holds for one field."""
    return [error.code for error in exc.error_dict.get(field, [])]


def messages(exc: ValidationError, field: str) -> list[str]:
    """The rendered messages a ValidationError holds for one field."""
    return exc.message_dict.get(field, [])


def nationwide(user):
    """Scope a test user to the whole country: their model permissions alone decide (the
    district scope is tested in tests/access/)."""
    from access.models import Membership

    Membership.objects.get_or_create(user=user, defaults={"nationwide": True})
    user.__dict__.pop("_servicepolice_scope", None)
    return user
