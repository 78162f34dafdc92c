from django.apps import AppConfig


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = "Phiên giao dịch việc làm"
