"""Money in đồng as the pages, messages and files show it: the number grouped the reader's way
(12.000.000 in Vietnamese), then "đ". Every amount shown to a person is written here, from Python
or through the `vnd` filters (frontend/templatetags/pages.py)."""

from django.utils.formats import number_format


def vnd(amount: int | float, upto: int | float | None = None) -> str:
    """12000000 → "12.000.000 đ"; with `upto`, a range: "8.000.000–12.000.000 đ"."""
    shown = number_format(int(amount), force_grouping=True)
    if upto is not None:
        shown += "–" + number_format(int(upto), force_grouping=True)
    return f"{shown} đ"
