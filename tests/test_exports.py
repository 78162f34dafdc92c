"""Every CSV and XLSX file the portal writes shows text that looks like a formula as text: the import report,
the dashboard's tables and workbook, the monthly workbook (OWASP's advice on CSV injection)."""

import csv
import io

import openpyxl
import pytest

from desk import services as desk_services
from desk.models import ImportJob
from jobs.models import Occupation
from tests.conftest import run_command
from tests.factories import WORKER_HEADER, as_csv, placement, signed_in, worker_row

HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","bấm vào đây")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def text_cells(book) -> list:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.fixture
def officer_client(client, actors):
    signed_in(client, actors.officer)
    return client


def test_the_import_report_shows_uploaded_header_cells_as_text(officer_client, actors, tmp_path):
    header = [*WORKER_HEADER, *HOSTILE]
    run_command("workers", as_csv([worker_row(1)], header, tmp_path), actors.officer)
    job = ImportJob.objects.get()

    rows = csv_rows(officer_client.get(f"/desk/imports/{job.pk}/report.csv").content)

    columns = [column for _row, column, _problem in rows[1:]]
    assert set(columns) == {f"'{text.strip().lower()}" for text in HOSTILE}  # the reader strips each cell
    assert all(row[0].isdigit() for row in rows[1:])  # the row numbers stay numbers


@pytest.fixture
def hostile_occupation(reference):
    """Reference data an officer edits in the admin, named like a formula; one placement in it."""
    Occupation.objects.filter(code="7212").update(name_vi=HOSTILE[0])
    placement("2026-03-02", code="7212")
    return HOSTILE[0]


def test_the_dashboards_csv_shows_a_formula_like_name_as_text_numbers_as_numbers(officer_client, hostile_occupation):
    rows = csv_rows(officer_client.get("/desk/dashboard/occupation.csv?as_of=2026-03-31").content)

    assert rows[1][:2] == [f"'{hostile_occupation}", "1"]


def test_the_dashboards_workbook_shows_a_formula_like_name_as_text(officer_client, hostile_occupation):
    content = officer_client.get("/desk/dashboard/all.xlsx?as_of=2026-03-31").content

    cells = text_cells(openpyxl.load_workbook(io.BytesIO(content)))
    assert f"'{hostile_occupation}" in cells
    assert not [cell for cell in cells if isinstance(cell, str) and cell.startswith("=")]


def test_the_monthly_workbook_shows_a_formula_like_name_as_text(hostile_occupation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    report = desk_services.report_build(year=2026, month=3)

    cells = text_cells(openpyxl.load_workbook(report.file.path))
    assert f"'{hostile_occupation}" in cells
    assert not [cell for cell in cells if isinstance(cell, str) and cell.startswith("=")]
