"""The trust line: what a worker checks before trusting a vacancy (the enterprise's licence, the approved
contract, the fee check). One builder for every reader: the search index, and so the search API's hits
(search/documents.py), and the pages, which read the same fields from the row (frontend/workers.py).

Codes, not words: each reader words them in its own language (`worded`)."""

from django.utils.translation import gettext as _

from jobs.fees import within_cap
from jobs.models import Organisation, OverseasTerms, Vacancy


def trust_line(vacancy: Vacancy) -> dict:
    """The line's fields for one vacancy; select_related organisation, contract__programme and overseas_terms."""
    organisation = vacancy.organisation
    contract = vacancy.contract if vacancy.contract_id else None
    terms = getattr(vacancy, "overseas_terms", None)
    verdict = terms.fee_verdict if terms else None
    return {
        "licence_number": organisation.licence_number,  # "" for the public centre: it needs none
        "licence_status": organisation.licence_status,
        "licence_expires_on": organisation.licence_expires_on,
        "contract_approval_number": contract.approval_number if contract else None,
        "contract_approved_on": contract.approved_on if contract else None,
        "fee_verdict": verdict,
        "fee_within_cap": within_cap(verdict),
        "state_programme": vacancy.state_programme,
    }


def worded(line: dict) -> dict:
    """The line for a page: the licence's status and the fee verdict in the reader's language."""
    status, verdict = line["licence_status"], line["fee_verdict"]
    return line | {
        "licence_status": Organisation.LicenceStatus(status).label if status else "",
        "fee_verdict": OverseasTerms.Verdict(verdict).label if verdict else _("not checked"),
    }
