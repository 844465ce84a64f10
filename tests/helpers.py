"""Small assertion helpers for validation errors."""

from django.core.exceptions import ValidationError


def codes(exc: ValidationError, field: str) -> list[str]:
    """The error codes a ValidationError holds for one field."""
    return [error.code for error in exc.error_dict.get(field, [])]


def messages(exc: ValidationError, field: str) -> list[str]:
    """The rendered messages a ValidationError holds for one field."""
    return exc.message_dict.get(field, [])
