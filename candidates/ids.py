"""The citizen ID number (CCCD): 12 digits, whose structure is checked against the holder.

Digits 1-3: the province where the birth was registered; digit 4: century and sex (0/1: 1900s
male/female, 2/3: 2000s, 4/5: 2100s); digits 5-6: the last two digits of the birth year; 7-12: random.
Source: Circular 59/2021/TT-BCA, summarised in shared/domain/brief.md §5.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 63 pre-2025 province codes run from 001 to 096 with gaps; the registry keeps them after 2025.
PROVINCE_CODES = {
    1,
    2,
    4,
    6,
    8,
    10,
    11,
    12,
    14,
    15,
    17,
    19,
    20,
    22,
    24,
    25,
    26,
    27,
    30,
    31,
    33,
    34,
    35,
    36,
    37,
    38,
    40,
    42,
    44,
    45,
    46,
    48,
    49,
    51,
    52,
    54,
    56,
    58,
    60,
    62,
    64,
    66,
    67,
    68,
    70,
    72,
    74,
    75,
    77,
    79,
    80,
    82,
    83,
    84,
    86,
    87,
    89,
    91,
    92,
    93,
    94,
    95,
    96,
}


def validate_id_number(number: str, *, born: date, sex: str) -> None:
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(_("An ID number has 12 digits."))
    if int(number[:3]) not in PROVINCE_CODES:
        raise ValidationError(_("The first three digits are not a province code."))
    century_digit = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    if int(number[3]) != century_digit:
        raise ValidationError(_("The fourth digit does not match the date of birth and sex."))
    if number[4:6] != f"{born.year % 100:02d}":
        raise ValidationError(_("Digits 5 and 6 must be the last two digits of the year of birth."))


def mask_id_number(number: str | None) -> str:
    """045********789 → shown as *********789."""
    return "*" * 9 + number[-3:] if number else ""
