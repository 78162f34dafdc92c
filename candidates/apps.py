from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Workers")

    def ready(self):
        # notifications/ sits below candidates/ (README, Architecture): it asks candidates through these.
        from candidates import selectors
        from candidates.models import Application
        from notifications import services, texts

        services.alerts_consented = selectors.alerts_consented
        texts.application_status = lambda code: str(Application.Status(code).label)
