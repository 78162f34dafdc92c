"""What every API view shares: services' errors become 400/403 answers with a message per field."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler


def handle_exception(exc, context):
    """Services raise Django's ValidationError and PermissionDenied; DRF answers its own kinds."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    return exception_handler(exc, context)
