"""schemathesis, from PyPI, against the live test server: every operation of the OpenAPI schema, as each kind
of caller, with every check. It must find nothing: no 500, no
status, content type or header the schema does not declare, no body unlike its schema, no good input refused.

Bounded so that it adds a few minutes to `make test` on 2 cores (the figures are in README):
- phases `examples,coverage,fuzzing`: `coverage` sends, for every parameter and field, the boundary and
  wrong-type values that found this API's 500s (ids out of range, `null,null`, huge numbers); `fuzzing` then
  adds random inputs. `stateful` is left out: drf-spectacular writes no OpenAPI links, so it would only
  repeat the fuzzing phase's single calls.
- MAX_EXAMPLES random cases per operation in the fuzzing phase; each caller only the operations it may call
  (OPERATIONS), 127 operations in all.
- a fixed seed and no example database, so a run is the same run every time (a failure reproduces).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from jobs.keys import api_key_create
from tests.factories import contract_for, published_vacancy, signed_in

MAX_EXAMPLES = 5
# No check is left out. `negative_data_rejection`: the API takes only what its schema says (portal.api.StrictInput:
# no JSON 0 read as the text "0" or as false; an optional query field sent empty is declared as no filter,
# allowEmptyValue). `ignored_auth`, for the session callers too: the schema declares the session cookie
# (cookieAuth), which schemathesis strips from our Cookie header, and the Authorization header it makes up
# beside the cookie is a 401 (jobs.keys.ApiKeyAuthentication: a credential offered is a key or refused).
CONFIG = Path(__file__).with_name("schemathesis.toml")
# Which operations each caller fuzzes: the ones it may call. Anything else answers it 401/403 at once, which
# the anonymous run already covers for every operation's reads (so the four runs add up to about one pass).
OPERATIONS = {
    "anonymous": r"^/api/v1/(auth|vacancies|courses|fairs|occupations|communes|programmes|countries|fee-rules"
    r"|statistics|stream|agencies|reports|targets)",
    "worker": r"^/api/v1/(workers/me|me/|searches|vacancies/search|courses/\{id\}/enrol$|enrolments/\{id\}/withdraw"
    r"|fairs/\{id\}/registrations)",
    "organisation": r"^/api/v1/(vacancies|applications|contracts|organisations|placements|courses|enrolments|fairs)",
    "officer": r"^/api/v1/(desk|targets|placements|organisations|workers/\{|statistics|fee-rules|fairs"
    r"|(language-)?certificates|(vacancies|courses)/\{id\}/(approve|reject))",
}
SEED = 19
ST = Path(sys.executable).with_name("st")


def _session(user) -> list[str]:
    """A browser's sign-in, as the API takes it: the session cookie, and for writes the CSRF token in both
    its cookie and its header (as the pages' forms send it). Nothing made up beside it: a generated
    Authorization header is a 401 (a credential offered is a key or refused), so the session's operations
    would meet only that; `ignored_auth` still strips the cookie and offers a wrong key, and expects 401/403."""
    csrf = _get_new_csrf_string()
    session = signed_in(Client(), user).cookies["sessionid"].value
    cookie = ["-H", f"Cookie: sessionid={session}; csrftoken={csrf}", "-H", f"X-CSRFToken: {csrf}"]
    return [*cookie, "--generation-with-security-parameters", "false"]


def _callers(actors) -> dict[str, list[str]]:
    published_vacancy(actors.employer_org, officer=actors.officer)
    contract_for(actors.agency_org)
    _key, text = api_key_create(organisation=actors.employer_org, by=actors.employer, name="fuzzer", per_minute=6000)
    return {
        "anonymous": [],
        # Erasing the account would end the session halfway through the run (test_workers.py tests erasure).
        "worker": [*_session(actors.worker), "--exclude-operation-id", "v1_workers_me_destroy"],
        "organisation": ["-H", f"Authorization: Api-Key {text}"],
        "officer": _session(actors.officer),  # with the second factor proven
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("caller", ["anonymous", "worker", "organisation", "officer"])
def test_the_fuzzer_finds_nothing(live_server, reference, actors, search_index, caller, tmp_path):
    headers = _callers(actors)[caller]
    run = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--url",
            live_server.url,
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--generation-database",
            "none",
            "--workers",
            "1",
            "--no-color",
            "--output-truncate",
            "false",
            "--include-path-regex",
            OPERATIONS[caller],
            *headers,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=900,
    )
    (Path(tmp_path) / "st.txt").write_text(run.stdout)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]
