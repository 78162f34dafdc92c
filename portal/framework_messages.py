"""Messages of Django REST Framework (and one of Django's) that their own Vietnamese catalogs lack.

Listed here so `makemessages` puts them in locale/vi, where they are translated; the project's
catalog comes first, so users get Vietnamese for these too. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("A valid string is required."),
    gettext_noop("Not a valid string."),
    gettext_noop("Invalid value."),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("This field may not be null."),
    gettext_noop("This field may not be blank."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Invalid page."),
    # django.contrib.auth's MinimumLengthValidator: the sign-up page shows it next to the password.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
]
