from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _forget_client(*, setting, **kwargs):
    if setting.startswith("ELASTICSEARCH_"):
        from search.client import elasticsearch

        elasticsearch.cache_clear()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        setting_changed.connect(_forget_client)
