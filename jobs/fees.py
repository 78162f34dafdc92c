"""The fee check: what an overseas vacancy charges the worker, set against the legal rules.

The rules are data (`FeeRule`, each with its source); this module only applies them:
- Law 69/2020 art. 23: the service fee is at most 1 month's contract wage per 12 months of work
  (1.5 for seafarers), and the Minister may set lower caps per market or occupation (Circular 21/2021).
  The wage is the approved contract's; the months are the vacancy's, never more than the contract's term.
- Law 69/2020 art. 7.8: charging the worker brokerage is prohibited.
A rule scoped to the vacancy's occupation replaces the unscoped general cap (seafarers get 1.5, not
1); every other applicable rule is an extra limit, and the smallest cap wins.

Rules have validity dates: a check reads the versions in force on its day, and its verdict names the
version that set the cap (`FeeCheck.rule`), so editing a rule (a new version, jobs.services.fee_rule_revise)
never rewrites the reason behind a past verdict.

Findings are stored as codes with numbers, not sentences, so each reader sees them in their language.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.models import FeeRule, OverseasTerms
from portal.money import vnd

Verdict = OverseasTerms.Verdict


@dataclass
class FeeCheck:
    verdict: str
    cap_vnd: int | None
    findings: list[dict] = field(default_factory=list)
    rule: FeeRule | None = None  # the version that set the cap

    @property
    def publishable(self) -> bool:
        return self.verdict == Verdict.WITHIN_CAP


def check_fees(
    *, costs: dict, contract_months: int, monthly_wage_vnd: int, country, programme, occupation, on: date | None = None
) -> FeeCheck:
    """`costs` maps OverseasTerms.COST_FIELDS to VND amounts, None where not disclosed; the rules are those
    in force `on` that day (today by default)."""
    rules = _applicable(
        FeeRule.objects.in_force(on or timezone.localdate()).prefetch_related("occupations"),
        country,
        programme,
        occupation,
        contract_months,
    )
    findings = []

    missing = [name for name in OverseasTerms.COST_FIELDS if costs.get(name) is None]
    if missing:
        findings.append({"code": "missing", "fields": missing})

    brokerage = costs.get("brokerage_fee") or 0
    for rule in rules[FeeRule.Kind.BROKERAGE]:
        if brokerage > (rule.max_vnd or 0):
            findings.append({"code": "brokerage", "amount": brokerage, "source": rule.source})

    cap, cap_rule = None, None
    for rule in rules[FeeRule.Kind.SERVICE_FEE]:
        rule_cap = _cap(rule, monthly_wage_vnd, contract_months)
        if cap is None or rule_cap < cap:
            cap, cap_rule = rule_cap, rule
    fee = costs.get("service_fee")
    if cap is not None and fee is not None and fee > cap:
        findings.append({"code": "above_cap", "fee": fee, "cap": cap, "source": cap_rule.source})

    codes = {finding["code"] for finding in findings}
    verdict = next(
        (verdict for code, verdict in _WORST_FIRST if code in codes),
        Verdict.WITHIN_CAP,
    )
    return FeeCheck(verdict=verdict, cap_vnd=cap, findings=findings, rule=cap_rule)


_WORST_FIRST = [("brokerage", Verdict.BROKERAGE), ("above_cap", Verdict.ABOVE_CAP), ("missing", Verdict.INCOMPLETE)]


def _applicable(rules, country, programme, occupation, contract_months) -> dict[str, list[FeeRule]]:
    def applies(rule):
        return (
            (rule.country_id is None or rule.country_id == getattr(country, "pk", None))
            and (rule.programme_id is None or rule.programme_id == getattr(programme, "pk", None))
            and (not rule.occupations.all() or occupation in rule.occupations.all())
            and (rule.min_contract_months is None or contract_months >= rule.min_contract_months)
        )

    found = {kind: [rule for rule in rules if rule.kind == kind and applies(rule)] for kind in FeeRule.Kind.values}
    if any(rule.occupations.all() for rule in found[FeeRule.Kind.SERVICE_FEE]):
        # An occupation's own rules (seafarers: 1.5 months per 12) replace the general ones, the
        # 36-month ceiling included: a ceiling for seafarers, if the law sets one, is a rule of theirs.
        found[FeeRule.Kind.SERVICE_FEE] = [
            rule
            for rule in found[FeeRule.Kind.SERVICE_FEE]
            if rule.occupations.all() or rule.country_id or rule.programme_id
        ]
    return found


def _cap(rule: FeeRule, wage: int, months: int) -> int:
    caps = []
    if rule.months_per_12 is not None:
        caps.append(Decimal(wage) * rule.months_per_12 * months / 12)
    if rule.max_months is not None:
        caps.append(Decimal(wage) * rule.max_months)
    if rule.max_vnd is not None:
        caps.append(Decimal(rule.max_vnd))
    return int(min(caps).to_integral_value(ROUND_FLOOR))


def describe(finding: dict) -> str:
    """A finding in the reader's language, with Vietnamese number formats."""

    if finding["code"] == "missing":
        labels = ", ".join(str(OverseasTerms._meta.get_field(name).verbose_name) for name in finding["fields"])
        return _("Costs not disclosed: %(items)s. State every cost, 0 where there is none.") % {"items": labels}
    if finding["code"] == "brokerage":
        return _("Charging the worker brokerage (%(amount)s) is prohibited (%(source)s).") % {
            "amount": vnd(finding["amount"]),
            "source": finding["source"],
        }
    return _("The service fee %(fee)s is above the legal cap of %(cap)s (%(source)s).") % {
        "fee": vnd(finding["fee"]),
        "cap": vnd(finding["cap"]),
        "source": finding["source"],
    }
