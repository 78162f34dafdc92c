from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from portal.routing import IdConverter

        register_converter(IdConverter, "id")  # every id in an address (portal/routing.py)
