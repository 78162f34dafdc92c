"""The admin for department officers. Every change of state goes through jobs/services.py, so the
admin is no way around verification, the fee check or the workflow: vacancies and organisations are
read here and moved by actions; rules and reference data are edited directly."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jobs import services
from jobs.models import (
    Commune,
    Country,
    ExchangeRate,
    FeeRule,
    LabourSupplyContract,
    Occupation,
    Organisation,
    OverseasTerms,
    Programme,
    Vacancy,
)
from portal.admin import ReadOnlyAdmin


def _each(modeladmin, request, queryset, act, done):
    """Run a service per row; a refusal is reported, the other rows still go through."""
    for obj in queryset:
        try:
            act(obj)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{obj}: {done}", messages.SUCCESS)


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en"]
    search_fields = ["code", "name_vi", "name_en", "aliases"]
    readonly_fields = ["modified_at", "search_synced_at"]

    def save_model(self, request, obj, form, change):
        # Through the service, so the change reaches search like any other write.
        services.occupation_save(code=obj.code, name_vi=obj.name_vi, name_en=obj.name_en, aliases=obj.aliases)


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "latitude", "longitude"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "country", "min_age", "max_age", "confirmed"]
    list_filter = ["confirmed", "country"]

    def save_model(self, request, obj, form, change):
        services.programme_save(obj)  # its vacancies carry its age band in the index


class FeeRuleForm(forms.ModelForm):
    class Meta:
        model = FeeRule
        fields = ["kind", "country", "programme", "occupations", "min_contract_months", "months_per_12"]
        fields += ["max_months", "max_vnd", "source", "confirmed", "valid_from"]
        help_texts = {
            "valid_from": _("Saving a change makes a new version from this date; the current one ends the day before.")
        }

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if self.instance.pk and valid_from <= FeeRule.objects.get(pk=self.instance.pk).valid_from:
            raise forms.ValidationError(_("A new version starts after the current one."))
        return valid_from


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    """A change is a new version (jobs.services.fee_rule_revise): past verdicts keep the version they used."""

    form = FeeRuleForm
    list_display = ["__str__", "months_per_12", "max_months", "max_vnd", "min_contract_months", "source", "confirmed"]
    list_display += ["valid_from", "valid_to"]
    list_filter = ["kind", "confirmed"]
    filter_horizontal = ["occupations"]  # "confirmed" shows ✗ for values still to check (domain/brief.md)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and hasattr(obj, "superseded_by"))

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {name: getattr(obj, name) for name in form.changed_data if name not in ("valid_from", "occupations")}
        current = FeeRule.objects.get(pk=obj.pk)
        revised = services.fee_rule_revise(current=current, by=request.user, valid_from=obj.valid_from, changes=changes)
        obj.pk = revised.pk  # the form's occupations (save_related) go to the new version


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "vnd_per_unit", "as_of", "source"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "tax_code", "verification", "licence_number", "licence_status"]
    list_display += ["licence_expires_on"]
    list_filter = ["kind", "verification", "licence_status"]
    search_fields = ["name", "tax_code", "licence_number"]
    actions = ["verify", "suspend_licence", "revoke_licence", "reactivate_licence"]

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda org: services.organisation_verify(organisation=org, by=request.user, approve=True),
            _("verified"),
        )

    def _licence(self, request, queryset, status):
        _each(
            self,
            request,
            queryset,
            lambda org: services.licence_set_status(organisation=org, by=request.user, status=status),
            Organisation.LicenceStatus(status).label,
        )

    @admin.action(description=_("Suspend the licence"))
    def suspend_licence(self, request, queryset):
        self._licence(request, queryset, Organisation.LicenceStatus.SUSPENDED)

    @admin.action(description=_("Revoke the licence"))
    def revoke_licence(self, request, queryset):
        self._licence(request, queryset, Organisation.LicenceStatus.REVOKED)

    @admin.action(description=_("Reactivate the licence"))
    def reactivate_licence(self, request, queryset):
        self._licence(request, queryset, Organisation.LicenceStatus.ACTIVE)


@admin.register(LabourSupplyContract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["approval_number", "organisation", "foreign_partner", "country", "occupation", "quota"]
    list_filter = ["country"]
    list_select_related = ["organisation", "country", "occupation"]


class OverseasTermsInline(admin.StackedInline):
    model = OverseasTerms
    can_delete = False
    readonly_fields = ["fee_verdict", "fee_cap_vnd", "fee_findings", "fee_checked_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "is_overseas", "status", "deadline"]
    list_filter = ["status", "is_overseas"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    inlines = [OverseasTermsInline]
    actions = ["approve"]

    @admin.action(description=_("Approve and publish the selected vacancies"))
    def approve(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda vacancy: services.vacancy_approve(vacancy=vacancy, by=request.user),
            _("published"),
        )
