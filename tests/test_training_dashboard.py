"""Training on the department's dashboard and in the public statistics: enrolments and completions by
level against the year's targets, every breakdown, the portal proxies beside the survey rates, the
workbook equal to the page, the same small-cell rule for the public."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.cache import cache

from candidates.models import Certificate
from jobs.models import Commune, Occupation
from tests.conftest import Tables, assert_same_figures
from tests.factories import VerifiedInstitutionFactory, course_fields, member_of, set_targets, signed_in, signed_up
from training.models import Course, Enrolment


@pytest.fixture
def officer_client(client, actors):
    signed_in(client, actors.officer)
    return client


@pytest.fixture
def course(actors):
    institution = VerifiedInstitutionFactory(kind="college")
    member_of(institution)
    return Course.objects.create(organisation=institution, status="published", **course_fields())


def enrolments(course, count, *, accepted="2026-03-02", level="elementary", completed=None, commune="Đông Hà"):
    status = "completed" if completed else "accepted"
    Enrolment.objects.bulk_create(
        Enrolment(
            course=course,
            status=status,
            accepted_on=date.fromisoformat(accepted) if accepted else None,
            completed_on=date.fromisoformat(completed) if completed else None,
            occupation=Occupation.objects.get(code="7212"),
            level=level,
            commune=Commune.objects.get(name=commune),
            sex="female",
            age_band="25-34",
            priority_groups=["rural"],
        )
        for _ in range(count)
    )


def test_enrolments_and_completions_by_level_against_the_targets_and_the_workbook_equal_to_the_page(
    officer_client, course, api
):
    set_targets(2026, enrolment=9000, enrolment_college=200, enrolment_intermediate=800, enrolment_elementary=8000)
    set_targets(2026, trained_rate="72.66", certified_rate="33")
    enrolments(course, 3, level="college")
    enrolments(course, 5, level="elementary", completed="2026-05-30")
    enrolments(course, 2, level="short_course", commune="Đồng Hới")
    enrolments(course, 4, accepted="2025-12-20")  # last year's: not counted this year
    signed_up(api, "0912 000 601")
    signed_up(api, "0912 000 602")
    worker = signed_up(api, "0912 000 603")
    certificate = {"level": "elementary", "institution": "X", "issued_on": "2025-01-01"}
    assert worker.post("/api/v1/workers/me/certificates", certificate).status_code == 201
    Certificate.objects.update(verified=True)

    response = officer_client.get("/desk/dashboard/?as_of=2026-06-30")
    tables = Tables(response.content.decode()).tables

    assert tables["training_level"][1:] == [
        ["trong đó, cao đẳng", "3", "0", "200", "1,5"],
        ["trong đó, trung cấp", "0", "0", "800", "0,0"],
        ["trong đó, sơ cấp và đào tạo thường xuyên", "7", "5", "8.000", "0,1"],
        ["tuyển sinh giáo dục nghề nghiệp", "10", "5", "9.000", "0,1"],
    ]
    # 10 enrolled by 30 June (181 days): 10 × 365 ÷ 181 = 20 by 31 December
    assert tables["targets"][3][1:] == ["9.000", "10", "0,1", "20", "0,2"]
    assert tables["training_commune"][1:] == [["Đông Hà", "8", "5", "80,0"], ["Đồng Hới", "2", "0", "20,0"]]
    assert tables["training_priority_group"][1:] == [["lao động nông thôn", "10", "5", "100,0"]]
    assert tables["training_rates"][1:] == [
        ["Người lao động đăng ký trên cổng (số liệu cổng)", "4", "—", "—"],  # these three and the cast's worker
        [tables["training_rates"][2][0], "1", "25,0", "72,66"],
        [tables["training_rates"][3][0], "1", "25,0", "33"],
    ]
    assert "số liệu cổng" in tables["training_rates"][2][0] and "điều tra" in tables["training_rates"][0][3]

    book = openpyxl.load_workbook(io.BytesIO(officer_client.get("/desk/dashboard/all.xlsx?as_of=2026-06-30").content))
    assert_same_figures(book, tables, as_of=date(2026, 6, 30))


def test_the_public_statistics_publish_enrolments_under_the_small_cell_rule(api, course):
    cache.clear()
    enrolments(course, 12, accepted="2025-03-02")
    enrolments(course, 3, accepted="2025-03-02", commune="Đồng Hới")

    data = api().get("/api/v1/statistics/placements", {"year": 2025}).json()["enrolments"]

    assert data["total"] == {"count": 15, "suppressed": False}
    communes = {row["label"]: row["count"] for row in data["tables"]["commune"]}
    assert communes == {"Đông Hà": None, "Đồng Hới": None}  # 3 is small; 12 would give it away
    assert {row["label"]: row["count"] for row in data["tables"]["level"]} == {"sơ cấp": 15}
    assert "priority_group" not in data["tables"]
