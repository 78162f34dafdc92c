"""The public agency check: anyone, signed in or not, looks up a service enterprise by name (with or
without diacritics), licence number or tax code before paying anyone.

It shows what the department knows and has decided, never what is only alleged: the licence's state
with its dates, approved contracts with the places left, resolved cases (not open ones) and sanctions.
A broker who is not on the portal appears only through resolved cases and sanctions recorded against
the name reported. When no licensed enterprise matches, the answer says so plainly, with the numbers
to call (jobs/data/hotlines.json and the department's own centre, each with its source).

Names are matched by PostgreSQL on folded text, folded as the search index folds it (`search.text`'s
letter table through translate()): every word of the query somewhere in the name. Such an infix match
cannot use a B-tree index and pg_trgm is not installed on the portal's database; the scan is narrowed
to verified agencies (a few hundred in the country) and to resolved cases, so no index is kept for it.
An answer takes a fixed number of queries, however many enterprises it shows.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count, F, Func, Prefetch, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.models import Case
from jobs.models import LabourSupplyContract, Organisation, Sanction
from portal.throttling import UserRateThrottle
from search.text import FOLD_FROM, FOLD_TO, fold

MIN_QUERY = 3
MAX_SHOWN = 10
HOTLINES = Path(__file__).resolve().parent.parent / "jobs" / "data" / "hotlines.json"


class AgencyCheckThrottle(UserRateThrottle):
    """Per user or address; the page and the API share it. Generous: a worker tries several spellings."""

    scope = "agency_check"

    def get_rate(self):
        return settings.AGENCY_CHECK_RATE


def _folded(field: str) -> Func:
    """The column as `fold()` folds text (NFC, the letter table, lower case), in SQL."""
    nfc = Func(F(field), function="normalize", template="%(function)s(%(expressions)s, NFC)")
    return Lower(Func(nfc, Value(FOLD_FROM), Value(FOLD_TO), function="translate"))


def _named(query: str, field: str) -> Q:
    """Every word of the query in the folded column; nothing matches a query without words."""
    words = fold(query).split()
    return Q(*[Q(**{f"{field}__contains": word}) for word in words]) if words else Q(pk__in=[])


def _identifier(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def agency_check(query: str) -> dict:
    """The enterprises and reported brokers that `query` names (at most MAX_SHOWN each), and the numbers to
    call. `licensed` is True only when a verified enterprise with an active licence matches."""
    today = timezone.localdate()
    key = _identifier(query)
    agencies = Organisation.objects.filter(
        kind=Organisation.Kind.AGENCY, verification=Organisation.Verification.VERIFIED
    )
    by_identifier = agencies.filter(Q(licence_number__iexact=key) | Q(tax_code=key))
    matching = (
        by_identifier
        if by_identifier.exists()
        else agencies.alias(folded=_folded("name")).filter(_named(query, "folded"))
    )
    contracts = LabourSupplyContract.objects.with_remaining().select_related("country", "occupation")
    found = list(
        matching.prefetch_related(
            "sanctions", Prefetch("contracts", contracts.order_by("-approved_on"), to_attr="contracts_shown")
        )[:MAX_SHOWN]
    )
    resolved = (
        Case.objects.filter(organisation__in=found, status=Case.Status.RESOLVED)
        .values("organisation", "reason")
        .annotate(count=Count("pk"))
        .order_by("reason")
    )
    cases: dict[int, list[dict]] = {}
    for row in resolved:
        cases.setdefault(row["organisation"], []).append(row)
    brokers = _reported_brokers(query)
    return {
        "query": query,
        "licensed": any(agency.licence_is_active(today) for agency in found),
        "agencies": [_agency(agency, cases.get(agency.pk, []), today) for agency in found],
        "reported_brokers": brokers,
        "hotlines": hotlines(),
    }


def _agency(agency: Organisation, resolved: list[dict], today) -> dict:
    sanctions = list(agency.sanctions.all())
    suspension = next((s for s in sanctions if s.kind == Sanction.Kind.SUSPENSION), None)
    return {
        "id": agency.pk,
        "name": agency.name,
        "tax_code": agency.tax_code,
        "licence_number": agency.licence_number,
        "licence_state": agency.licence_state(today),
        "licence_issued_on": agency.licence_issued_on,
        "licence_expires_on": agency.licence_expires_on,
        "suspended_on": suspension.decided_on if suspension and agency.licence_state(today) == "suspended" else None,
        "suspended_until": suspension.until if suspension and agency.licence_state(today) == "suspended" else None,
        "address": agency.address,
        "phone": agency.phone,
        "website": agency.website,
        "contracts": [
            {
                "approval_number": contract.approval_number,
                "approved_on": contract.approved_on,
                "country": contract.country.name_vi,
                "occupation": contract.occupation.name_vi,
                "quota": contract.quota,
                "places_left": max(contract.remaining, 0),
            }
            for contract in agency.contracts_shown
        ],
        "resolved_cases": [
            {"reason": row["reason"], "reason_label": str(Case.Reason(row["reason"]).label), "count": row["count"]}
            for row in resolved
        ],
        "sanctions": [sanction_output(sanction) for sanction in sanctions],
    }


def sanction_output(sanction: Sanction) -> dict:
    return {
        "kind": sanction.kind,
        "decision_number": sanction.decision_number,
        "decided_on": sanction.decided_on,
        "fine_vnd": sanction.fine_vnd,
        "until": sanction.until,
    }


def _reported_brokers(query: str) -> list[dict]:
    """Resolved cases about brokers who are not on the portal, by the name (or the phone) reported."""
    digits = re.sub(r"\D", "", query)
    matching = _named(query, "folded")
    if len(digits) >= 8:
        matching |= Q(phone_digits__endswith=digits[-9:])
    resolved = (
        Case.objects.filter(organisation=None, status=Case.Status.RESOLVED)
        .alias(
            folded=_folded("broker_name"),
            phone_digits=Func(F("broker_phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace"),
        )
        .filter(matching)
        .select_related("sanction")
    )
    return [
        {
            "name": case.broker_name,
            "place": case.broker_place,
            "reason": case.reason,
            "reason_label": case.get_reason_display(),
            "resolved_on": timezone.localdate(case.updated_at),
            "sanction": sanction_output(case.sanction) if case.sanction else None,
        }
        for case in resolved.only("broker_name", "broker_phone", "broker_place", "reason", "updated_at", "sanction")[
            :MAX_SHOWN
        ]
    ]


@cache
def _national_hotlines() -> list[dict]:
    return json.loads(HOTLINES.read_text(encoding="utf-8"))["hotlines"]


def hotlines() -> list[dict]:
    """The province's Employment Service Centre first (the department's own record), then the national numbers."""
    centres = Organisation.objects.filter(
        kind=Organisation.Kind.PUBLIC_CENTRE, verification=Organisation.Verification.VERIFIED
    ).exclude(phone="")
    own = [
        {
            "number": centre.phone,
            "name_vi": centre.name,
            "name_en": centre.name,
            "source": "Hồ sơ của Sở trên cổng (the department's record on the portal)",
            "confirmed": True,
        }
        for centre in centres.only("name", "phone")[:1]
    ]
    return own + _national_hotlines()


def verdict(result: dict) -> str:
    """The one sentence a worker needs, in their language."""
    if result["licensed"]:
        return _(
            "Licensed to send workers abroad. Pay only the costs the contract states, after the contract is "
            "signed, and never a broker."
        )
    if result["agencies"]:
        return _("This enterprise may not send workers abroad now: do not pay anyone. Call a number below.")
    return _(
        "No licensed enterprise has this name, licence number or tax code: do not pay anyone. Call a number below."
    )
