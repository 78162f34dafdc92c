from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = "Phiên giao dịch việc làm"

    def ready(self):
        # candidates/ sits below fairs/ (README, Architecture): an erased account's registrations are forgotten
        # through this list.
        from candidates.services import ERASERS
        from fairs.services import registrations_forget

        ERASERS.append(registrations_forget)
