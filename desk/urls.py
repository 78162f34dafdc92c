"""The desk's addresses: officers' pages under /desk/, its API under /api/v1/ (see portal/urls.py)."""

pages = []

api = []
