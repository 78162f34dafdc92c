"""Vietnamese mobile numbers: typed as 0912 345 678 or +84 912 345 678, stored in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_mobile(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 84:
        raise ValidationError(_("Enter a Vietnamese mobile number, such as 0912 345 678."))
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,):
        raise ValidationError(_("This is not a mobile number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(e164: str | None) -> str:
    """+84912345678 → *******678: enough for the worker to recognise, nothing to call."""
    if not e164:
        return ""
    national = "0" + e164.removeprefix("+84")
    return "*" * (len(national) - 3) + national[-3:]
