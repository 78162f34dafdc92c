from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Department desk")

    def ready(self):
        # candidates/ sits below the desk (README, Architecture): it reaches the desk's cases through these.
        from functools import partial

        from candidates import abroad, services
        from desk import cases
        from desk.models import Case

        abroad.substitution_report = partial(cases.case_report, reason=Case.Reason.CONTRACT_SUBSTITUTION)
        services.ERASERS.append(cases.reporter_forget)
