"""The pages' forms: they check the shape of what was typed; the services check the rules.

Errors the services raise (a dict of field → messages) are put next to the field of the same name
by `portal.pages.show_errors`, so a rule refused by the service reads like any other form error.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Certificate, Consent, EducationLevel, Sex
from jobs.models import (
    MIN_WORKING_AGE,
    Commune,
    Country,
    ExchangeRate,
    LabourSupplyContract,
    LanguageRequirement,
    Occupation,
    Organisation,
    OverseasTerms,
    Programme,
    TrainingLevel,
    Vacancy,
)
from portal.pages import code_field, date_field, phone_field
from search import queries, ranking


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


# --- Search ------------------------------------------------------------------------------------

WHERE = [("", _("Anywhere")), ("false", _("In the province")), ("true", _("Abroad"))]
SORTS = [
    ("relevance", _("Best match")),
    ("newest", _("Newest")),
    ("deadline", _("Closing soonest")),
    ("salary", _("Highest salary")),
]
PAGE_SIZE = 20


class SearchForm(forms.Form):
    is_filter = True  # every field is optional: the page does not say so of each
    q = forms.CharField(label=_("Job, skill or employer"), max_length=ranking.MAX_QUERY_LENGTH, required=False)
    abroad = forms.ChoiceField(label=_("Where"), choices=WHERE, required=False, widget=forms.RadioSelect)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, empty_label=_("Any country")
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any commune"),
    )
    # Set by links (a facet, a broader search), kept as hidden fields; their labels name them in those links.
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    programme = forms.CharField(label=_("Programme"), required=False, max_length=30, widget=forms.HiddenInput)
    near = forms.ModelChoiceField(
        label=_("Near the commune"),
        queryset=Commune.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    training_level = forms.ChoiceField(
        label=_("My training"), choices=[("", _("Any")), *TrainingLevel.choices], required=False
    )
    salary_min = forms.IntegerField(label=_("Salary at least (đồng a month)"), min_value=0, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
    page = forms.IntegerField(min_value=1, max_value=ranking.MAX_RESULT_WINDOW // PAGE_SIZE, required=False)

    def to_query(self) -> queries.VacancyQuery:
        data = self.cleaned_data
        return queries.VacancyQuery(
            q=data["q"],
            occupations=[data["occupation"].code] if data["occupation"] else [],
            commune=data["commune"].code if data["commune"] else None,
            near=(data["near"].latitude, data["near"].longitude) if data["near"] else None,
            abroad={"true": True, "false": False}.get(data["abroad"]),
            country=data["country"].pk if data["country"] else None,
            programme=data["programme"] or None,
            salary_min=data["salary_min"],
            training_level=data["training_level"] or None,
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            page_size=PAGE_SIZE,
        )


# --- Accounts ----------------------------------------------------------------------------------


class SignUpForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password = forms.CharField(
        label=_("Password (at least 8 characters)"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(label=_("E-mail (if you have one)"), required=False)


PASSWORD_LABEL = _("Password (at least 8 characters)")


def new_password_field(label=PASSWORD_LABEL):
    return forms.CharField(
        label=label, max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class PhoneForm(forms.Form):
    phone = phone_field()


class NewPhoneForm(forms.Form):
    phone = phone_field(_("Your new mobile number"))


class ResetConfirmForm(forms.Form):
    code = code_field()
    password = new_password_field(_("New password (at least 8 characters)"))


class SignInForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number or user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=128, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


# --- The worker's profile, step by step ---------------------------------------------------------


class PersonalForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    date_of_birth = date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    commune = forms.ModelChoiceField(label=_("Commune where you live"), queryset=Commune.objects.all())
    education = forms.ChoiceField(label=_("School completed"), choices=EducationLevel.choices)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Certificate.Kind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *TrainingLevel.choices], required=False)
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.all(), required=False, empty_label="—"
    )
    institution = forms.CharField(label=_("School or centre that issued it"), max_length=200)
    issued_on = date_field(_("Issued on"))


class LanguageForm(forms.Form):
    framework = forms.ChoiceField(label=_("Certificate"), choices=LanguageRequirement.Framework.choices)
    level = forms.CharField(label=_("Level or score (such as N4, A2, 150)"), max_length=10)
    issued_on = date_field(_("Issued on"), required=False)


class PreferencesForm(forms.Form):
    desired_occupations = forms.ModelMultipleChoiceField(
        label=_("Work you want (hold Ctrl or tap to choose several)"), queryset=Occupation.objects.all(), required=False
    )
    skills = forms.CharField(label=_("Your skills, separated by commas"), max_length=500, required=False)
    wants_home = forms.BooleanField(label=_("I want to work in Vietnam"), required=False)
    wants_abroad = forms.BooleanField(label=_("I want to work abroad"), required=False)
    desired_countries = forms.ModelMultipleChoiceField(
        label=_("Countries you would go to"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_salary_vnd = forms.IntegerField(label=_("Salary you expect (đồng a month)"), min_value=0, required=False)


CONSENT_WORDS = {
    Consent.Purpose.BE_FOUND: _(
        "Employers and licensed enterprises may find your profile when they look for workers. They see your "
        "skills, training and commune, but not your name or number until you apply or accept their invitation."
    ),
    Consent.Purpose.SHARE_ABROAD: _(
        "A licensed enterprise may send your CV to its partner abroad when you apply for work there."
    ),
    Consent.Purpose.ALERTS: _("We may send you new vacancies that fit your profile."),
}


class ConsentsForm(forms.Form):
    """Each consent separate, explained in plain words, and withdrawn by unticking it."""

    be_found = forms.BooleanField(label=_("Let employers find me"), required=False)
    share_abroad = forms.BooleanField(label=_("Share my CV with a partner abroad"), required=False)
    alerts = forms.BooleanField(label=_("Send me job alerts"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.help_text = CONSENT_WORDS[name]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that my account and data will be deleted for good"))


# --- Organisations -----------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[(k, v) for k, v in Organisation.Kind.choices if k != Organisation.Kind.PUBLIC_CENTRE],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    tax_code = forms.CharField(label=_("Tax code"), max_length=14)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.all(), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    licence_number = forms.CharField(label=_("Licence number (service enterprises)"), max_length=50, required=False)
    licence_issued_on = date_field(_("Licence issued on"), required=False)
    licence_expires_on = date_field(_("Licence expires on"), required=False)


class ContractForm(forms.Form):
    """A labour supply contract approved by the Department of Overseas Labour (Law 69/2020 art. 19-20)."""

    foreign_partner = forms.CharField(label=_("Foreign partner"), max_length=255)
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all(), required=False)
    occupation = forms.ModelChoiceField(label=_("Occupation"), queryset=Occupation.objects.all())
    quota = forms.IntegerField(label=_("Workers"), min_value=1)
    monthly_wage = forms.DecimalField(label=_("Monthly wage"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency of the wage"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)
    approval_number = forms.CharField(label=_("Approval number"), max_length=50)
    approved_on = date_field(_("Approved on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = ["VND", *ExchangeRate.objects.order_by("currency").values_list("currency", flat=True)]
        self.fields["currency"].choices = [(c, c) for c in currencies]


WHERE_WORK = [("home", _("In the province")), ("abroad", _("Abroad, under an approved labour supply contract"))]


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description of the work"), widget=forms.Textarea(attrs={"rows": 4}))
    occupation = forms.ModelChoiceField(label=_("Occupation"), queryset=Occupation.objects.all())
    skills = forms.CharField(label=_("Skills, separated by commas"), max_length=500, required=False)
    positions = forms.IntegerField(label=_("Positions"), min_value=1)
    where = forms.ChoiceField(label=_("Where is the work"), choices=WHERE_WORK, widget=forms.RadioSelect)
    commune = forms.ModelChoiceField(
        label=_("Commune (work in the province)"), queryset=Commune.objects.all(), required=False
    )
    contract = forms.ModelChoiceField(
        label=_("Approved labour supply contract (work abroad)"),
        queryset=LabourSupplyContract.objects.none(),
        required=False,
        help_text=_("The country and programme are the contract's."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    currency = forms.ChoiceField(label=_("Currency of the salary"))
    salary_min = forms.DecimalField(label=_("Monthly salary from"), min_value=0, max_digits=14, decimal_places=2)
    salary_max = forms.DecimalField(label=_("Monthly salary to"), min_value=0, max_digits=14, decimal_places=2)
    working_hours = forms.CharField(label=_("Working hours"), max_length=200, required=False)
    contract_type = forms.ChoiceField(label=_("Kind of contract"), choices=Vacancy.ContractType.choices)
    training_level = forms.ChoiceField(label=_("Training required"), choices=TrainingLevel.choices)
    age_min = forms.IntegerField(label=_("Minimum age"), min_value=MIN_WORKING_AGE, max_value=99, required=False)
    age_max = forms.IntegerField(label=_("Maximum age"), min_value=MIN_WORKING_AGE, max_value=99, required=False)
    sex = forms.ChoiceField(label=_("Sex (only where the programme allows it)"), choices=Vacancy.Sex.choices)
    language_framework = forms.ChoiceField(
        label=_("Language certificate required"),
        choices=[("", "—"), *LanguageRequirement.Framework.choices],
        required=False,
    )
    language_level = forms.CharField(label=_("Level"), max_length=10, required=False)
    benefits = forms.CharField(label=_("Benefits"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    values_overseas_experience = forms.BooleanField(
        label=_("Returnees with experience of this work abroad are preferred"), required=False
    )
    deadline = date_field(_("Application deadline"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    # The overseas section: every cost the worker pays, in đồng; 0 where there is none.
    contract_months = forms.IntegerField(
        label=_("Contract length (months)"), min_value=1, max_value=120, required=False
    )
    service_fee = forms.IntegerField(label=_("Service fee"), min_value=0, required=False)
    deposit = forms.IntegerField(label=_("Deposit (refundable)"), min_value=0, required=False)
    training_fee = forms.IntegerField(label=_("Training and language course"), min_value=0, required=False)
    visa_fee = forms.IntegerField(label=_("Passport and visa"), min_value=0, required=False)
    health_check_fee = forms.IntegerField(label=_("Health check"), min_value=0, required=False)
    flight_fee = forms.IntegerField(label=_("Flight"), min_value=0, required=False)
    other_fee = forms.IntegerField(label=_("Other costs"), min_value=0, required=False)
    other_fee_note = forms.CharField(label=_("What the other costs are"), max_length=300, required=False)
    brokerage_fee = forms.IntegerField(label=_("Brokerage"), min_value=0, required=False)
    employer_pays = forms.CharField(
        label=_("What the employer pays"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    accommodation = forms.CharField(label=_("Accommodation"), max_length=300, required=False)
    pre_departure_training = forms.CharField(label=_("Pre-departure training"), max_length=300, required=False)

    # Fields passed to the service as they are.
    PLAIN = ["title", "description", "occupation", "positions", "city", "currency", "salary_min", "salary_max"]
    PLAIN += ["working_hours", "contract_type", "training_level", "age_min", "age_max", "sex", "benefits", "deadline"]
    PLAIN += ["contact_name", "contact_phone", "contact_email", "values_overseas_experience"]
    TERMS = ["contract_months", *OverseasTerms.COST_FIELDS, "other_fee_note", "employer_pays", "accommodation"]
    TERMS += ["pre_departure_training"]
    # Where a service's error about something the form has no field of its own is shown.
    ALIASES = {"overseas_terms": "contract_months", "languages": "language_level", "country": "contract"}
    ALIASES |= {"programme": "contract", "is_overseas": "where"}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = LabourSupplyContract.objects.filter(organisation=organisation)
        currencies = ["VND", *ExchangeRate.objects.order_by("currency").values_list("currency", flat=True)]
        self.fields["currency"].choices = [(c, c) for c in currencies]
        if organisation.kind not in (Organisation.Kind.AGENCY, Organisation.Kind.PUBLIC_CENTRE):
            self.fields["where"].choices = WHERE_WORK[:1]

    def service_arguments(self) -> dict:
        """The keyword arguments of jobs.services.vacancy_create / vacancy_update."""
        data = self.cleaned_data
        abroad = data["where"] == "abroad"
        contract = data["contract"] if abroad else None
        fields = {name: data[name] for name in self.PLAIN}
        fields |= {
            "skills": split_list(data["skills"]),
            "is_overseas": abroad,
            "commune": None if abroad else data["commune"],
            "contract": contract,
            "country": contract.country if contract else None,
            "programme": contract.programme if contract else None,
        }
        fields["languages"] = (
            [{"framework": data["language_framework"], "level": data["language_level"]}]
            if data["language_framework"]
            else []
        )
        fields["overseas_terms"] = {name: data[name] for name in self.TERMS} if abroad else None
        return fields

    @classmethod
    def initial_from(cls, vacancy: Vacancy) -> dict:
        initial = {name: getattr(vacancy, name) for name in [*cls.PLAIN, "commune", "contract"]}
        initial["skills"] = ", ".join(vacancy.skills)
        initial["where"] = "abroad" if vacancy.is_overseas else "home"
        language = vacancy.languages.first()
        if language:
            initial |= {"language_framework": language.framework, "language_level": language.level}
        terms = getattr(vacancy, "overseas_terms", None)
        if terms:
            initial |= {name: getattr(terms, name) for name in cls.TERMS}
        return initial


class FeeCheckForm(forms.Form):
    """What the live fee check reads while the vacancy form is typed: its contract, length, occupation and
    costs, checked by the vacancy form's own fields. A field empty or not yet valid is left out of
    cleaned_data, and the check treats it as not given."""

    contract = forms.ModelChoiceField(
        queryset=LabourSupplyContract.objects.select_related("organisation", "country", "programme", "occupation")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["contract_months", "occupation", *OverseasTerms.COST_FIELDS]:
            self.fields[name] = copy.deepcopy(VacancyForm.base_fields[name])


class DepartureForm(forms.Form):
    """The departure checklist's items that the one filling it in may give (candidates/abroad.py)."""

    orientation_certificate = forms.ModelChoiceField(
        label=_("Pre-departure orientation certificate"), queryset=Certificate.objects.none(), required=False
    )
    health_check_on = date_field(_("Health check on"), required=False)
    health_check_valid_until = date_field(_("Health check valid until"), required=False)
    visa_number = forms.CharField(label=_("Visa number"), max_length=30, required=False)
    visa_valid_until = date_field(_("Visa valid until"), required=False)
    signed_monthly_wage = forms.DecimalField(
        label=_("Monthly wage written in the signed contract"), min_value=0, max_digits=14, required=False
    )
    signed_term_months = forms.IntegerField(
        label=_("Term written in the signed contract (months)"), min_value=1, max_value=120, required=False
    )
    confirm = forms.BooleanField(
        label=_("I confirm the wage and term above are those of the contract I signed."), required=False
    )

    def __init__(self, *args, items, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(items):
            del self.fields[name]
        if "orientation_certificate" in self.fields:
            self.fields["orientation_certificate"].queryset = certificates

    def items(self) -> dict:
        """What was given: an empty field leaves the item as it is."""
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Next stage"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices
