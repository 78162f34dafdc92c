"""Officers confirm placements and verify certificates here, through the services. Worker profiles
are not in the admin: officers read them through the API, where every view is audited."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from candidates import services
from candidates.models import Certificate, LanguageCertificate, Placement
from portal.admin import ReadOnlyAdmin


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["placed_on", "source", "is_abroad", "country", "occupation", "commune", "sex", "age_band", "status"]
    list_filter = ["status", "source", "is_abroad", "country"]
    list_select_related = ["country", "occupation", "commune"]
    date_hierarchy = "placed_on"
    actions = ["confirm"]

    @admin.action(description=_("Confirm the selected placements"))
    def confirm(self, request, queryset):
        for placement in queryset:
            try:
                services.placement_confirm(placement=placement, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{placement}: {' '.join(error.messages)}", messages.ERROR)


class CertificateAdminBase(ReadOnlyAdmin):
    list_filter = ["verified"]
    actions = ["verify"]

    @admin.action(description=_("Mark the selected certificates verified"))
    def verify(self, request, queryset):
        for certificate in queryset.select_related("worker__user"):
            services.certificate_verify(certificate=certificate, by=request.user)


@admin.register(Certificate)
class CertificateAdmin(CertificateAdminBase):
    list_display = ["kind", "level", "occupation", "institution", "serial_number", "issued_on", "verified"]


@admin.register(LanguageCertificate)
class LanguageCertificateAdmin(CertificateAdminBase):
    list_display = ["framework", "level", "issued_on", "verified"]
