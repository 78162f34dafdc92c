"""Job-fair and legacy imports: the file an officer uploads, the report they read, what lands in the database."""

import configparser
import csv
import io
import re
import tracemalloc
import zipfile
from datetime import datetime, timedelta
from html import unescape
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEntry
from candidates.models import SensitiveRecord, WorkerProfile
from desk import imports
from desk.imports import WorkerImporter
from desk.models import ImportJob
from desk.tasks import purge_import_files, run_import
from jobs.models import Commune, Vacancy
from tests.conftest import eventually, page_saying, problems, run_command
from tests.factories import (
    WORKER_HEADER,
    OfficerFactory,
    UserFactory,
    VerifiedEmployerFactory,
    as_csv,
    as_xlsx,
    draft_vacancy,
    member_of,
    signed_in,
    worker_row,
)

VACANCY_HEADER = [
    "tax_code",
    "title",
    "description",
    "occupation",
    "commune",
    "positions",
    "salary_min",
    "salary_max",
    "contract_type",
    "deadline",
    "contact_name",
    "contact_phone",
    "training_level",
]


def vacancy_row(tax_code: str, index: int, **overrides) -> dict:
    deadline = timezone.localdate() + timedelta(days=30)
    return {
        "tax_code": tax_code,
        "title": f"Thợ hàn số {index}",
        "description": "Hàn kết cấu thép nhà xưởng.",
        "occupation": "7212",
        "commune": "Phường Đông Hà",
        "positions": "3",
        "salary_min": "9.000.000",
        "salary_max": "14.000.000",
        "contract_type": "fixed_term",
        "deadline": deadline.strftime("%d/%m/%Y"),
        "contact_name": "Phòng nhân sự",
        "contact_phone": "0233 3852 000",
        "training_level": "",
        **overrides,
    }


@pytest.fixture
def officer(reference):
    return OfficerFactory()


def test_a_worker_file_is_checked_and_written_in_bulk_whatever_its_length(officer, tmp_path):
    """Each row passes a worker's own profile checks (candidates.services.profile_check) without a query of
    its own: 3 rows and 60 take the same queries, and every profile is there."""

    def queries_for(rows):
        with CaptureQueriesContext(connection) as queries:
            ok, lines = run_command("workers", as_csv(rows, WORKER_HEADER, tmp_path), officer)
        assert ok, lines
        return len(queries)

    few = queries_for([worker_row(n) for n in range(3)])
    many = queries_for([worker_row(n) for n in range(100, 160)])

    assert few == many
    assert WorkerProfile.objects.filter(user__phone__startswith="+8491200").count() == 63


def test_a_good_worker_file_is_imported_with_the_id_number_encrypted_and_the_phone_normalised(officer, tmp_path):
    grouped = worker_row(3, id_number="0450 9500 0003")  # typed in groups, as on the card
    path = as_csv([worker_row(1), worker_row(2, id_number="", occupation=""), grouped], WORKER_HEADER, tmp_path)

    ok, lines = run_command("workers", path, officer)

    assert ok, lines
    assert problems(lines) == []
    worker = WorkerProfile.objects.select_related("user", "commune").get(user__phone="+84912000001")
    assert (worker.full_name, worker.sex, worker.commune.name) == ("Nguyễn Văn An 1", "male", "Đông Hà")
    assert worker.date_of_birth.strftime("%d/%m/%Y") == "17/05/1995"
    assert list(worker.desired_occupations.values_list("code", flat=True)) == ["7212"]
    assert worker.sensitive.data == {"id_number": "045095000001"}
    assert not worker.user.has_usable_password()
    assert not hasattr(WorkerProfile.objects.get(user__phone="+84912000002"), "sensitive")
    assert WorkerProfile.objects.get(user__phone="+84912000003").sensitive.data == {"id_number": "045095000003"}
    assert ImportJob.objects.get().content is None  # imported: the file with its ID numbers is gone
    entry = AuditEntry.objects.get(action=AuditEntry.Action.OFFICER_ACTION)
    assert entry.actor == officer
    assert "imported 3 workers" in entry.detail


def test_wrong_headers_are_reported_on_row_1_and_nothing_is_read(officer, tmp_path):
    header = [name for name in WORKER_HEADER if name != "phone"] + ["ghi_chu"]
    path = as_csv([worker_row(1)], header, tmp_path)

    ok, lines = run_command("workers", path, officer)

    assert not ok
    assert problems(lines) == [
        ("1", "phone", "Thiếu cột này; hãy tải tệp mẫu."),
        ("1", "ghi_chu", "Cột không xác định."),
    ]
    assert not WorkerProfile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hoi-cho.xlsx", b"not a workbook", "Tệp không phải là bảng tính XLSX đọc được."),
        ("hoi-cho.csv", ",".join(WORKER_HEADER).encode() + b"\n", "Tệp không có dòng nào dưới dòng tiêu đề."),
        ("hoi-cho.csv", "họ tên".encode("utf-16"), "Hãy lưu tệp CSV với mã hóa UTF-8."),
    ],
)
def test_a_file_that_cannot_be_read_is_reported_not_a_crash(officer, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    ok, lines = run_command("workers", path, officer)

    assert not ok
    assert problems(lines) == [("1", "", message)]


# --- Hostile files: refused before they are read, in bounded memory ---------------------------------


def crafted_xlsx(tmp_path, *, dimension: str, far_row: int, shared_strings: bytes | None = None):
    """A real template workbook, edited as an attacker would: a declared size, a cell at row `far_row` and the
    last column (XFD), and optionally shared strings that unpack to much more than the file weighs."""
    base = as_xlsx([worker_row(1)], WORKER_HEADER, tmp_path, "base.xlsx")
    path = tmp_path / "hoi-cho.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as crafted:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                far = f'<row r="{far_row}"><c r="XFD{far_row}" t="n"><v>1</v></c></row></sheetData>'
                data = data.replace(b"</sheetData>", far.encode())
            crafted.writestr(member, data)
        if shared_strings is not None:
            crafted.writestr("xl/sharedStrings.xml", shared_strings)
    return path


def import_in_bounded_memory(path, officer) -> tuple[list, int]:
    """The command's report and the peak of memory Python allocated while it ran."""
    tracemalloc.start()
    try:
        _ok, lines = run_command("workers", path, officer)
        return problems(lines), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_sheet_declaring_a_million_rows_and_every_column_is_refused_before_a_row_is_read(officer, tmp_path):
    """The crafted file of the review: 10 KB declaring A1:XFD1048576 (openpyxl pads each row to that width)."""
    path = crafted_xlsx(tmp_path, dimension="A1:XFD1048576", far_row=1048576)
    assert path.stat().st_size < 20_000

    found, peak = import_in_bounded_memory(path, officer)

    assert found == [("1", "", "Tệp có hơn 40 cột; chỉ giữ lại các cột của tệp mẫu.")]
    assert peak < 20 * 1024 * 1024
    assert not WorkerProfile.objects.exists()


def test_a_sheet_whose_declared_size_lies_is_cut_at_the_limits_while_streaming(officer, tmp_path):
    path = crafted_xlsx(tmp_path, dimension="A1:H2", far_row=1048576)

    found, peak = import_in_bounded_memory(path, officer)

    assert found == [("1", "", "Tệp có hơn 20.000 dòng dưới dòng tiêu đề; hãy chia nhỏ tệp.")]
    assert peak < 20 * 1024 * 1024


def test_a_workbook_that_unpacks_to_far_more_than_it_weighs_is_refused_before_it_is_opened(officer, tmp_path):
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t>a</t></si>" * 4_000_000
    )
    path = crafted_xlsx(tmp_path, dimension="A1:H2", far_row=3, shared_strings=strings + b"</sst>")
    assert path.stat().st_size < 1024 * 1024

    found, peak = import_in_bounded_memory(path, officer)

    assert found == [
        ("1", "", "Bảng tính giải nén ra hơn 50 MB; hãy chỉ lưu bảng các dòng trong đó, hoặc chia nhỏ tệp.")
    ]
    assert peak < 20 * 1024 * 1024


def test_a_csv_wider_than_the_limit_is_refused(officer, tmp_path):
    path = tmp_path / "rong.csv"
    path.write_text(",".join([*WORKER_HEADER, *(f"note{i}" for i in range(40))]) + "\n" + ",".join(["x"] * 48) + "\n")

    _ok, lines = run_command("workers", path, officer)

    assert problems(lines) == [("1", "", "Tệp có hơn 40 cột; chỉ giữ lại các cột của tệp mẫu.")]


def bad_worker_file(tmp_path, existing_phone):
    rows = [
        worker_row(1),
        worker_row(2, date_of_birth="1995-05-17"),  # ISO date: not how the template asks
        worker_row(3, commune="Hà Nội"),  # not a commune of Quảng Trị
        worker_row(4, phone=worker_row(1)["phone"]),  # the same person twice in the file
        worker_row(5, phone=existing_phone),  # already has an account
        worker_row(6, id_number="045195000006"),  # digit 4 says born in the 2000s
        worker_row(7, phone="12345"),
        worker_row(8),
    ]
    return as_csv(rows, WORKER_HEADER, tmp_path)


EXPECTED_WORKER_PROBLEMS = [
    ("3", "date_of_birth", "Ghi ngày theo dạng dd/mm/yyyy, ví dụ 27/11/2026."),
    ("4", "commune", "Không rõ xã: ghi một xã, phường của Quảng Trị bằng mã hoặc tên."),
    ("5", "phone", "Trùng số điện thoại di động với dòng 2."),
    ("6", "phone", "Đã đăng ký trên cổng."),
    ("7", "id_number", "Chữ số thứ tư không khớp với năm sinh và giới tính."),
    ("8", "phone", "Hãy nhập số điện thoại di động Việt Nam, ví dụ 0912 345 678."),
]


def test_an_invalid_row_stops_the_whole_file_and_the_report_says_row_field_and_why(officer, tmp_path):
    UserFactory(phone="+84988000005")
    path = bad_worker_file(tmp_path, existing_phone="0988 000 005")

    ok, lines = run_command("workers", path, officer)

    assert not ok
    assert problems(lines) == EXPECTED_WORKER_PROBLEMS
    assert lines[0].startswith("Chưa nhập, có dòng không hợp lệ: 8 dòng, 6 không hợp lệ, 0 đã nhập")
    assert not WorkerProfile.objects.exists()
    assert not AuditEntry.objects.filter(actor=officer).exists()
    with connection.cursor() as cursor:  # the file waits for "valid rows only", its ID numbers encrypted
        cursor.execute("SELECT content FROM desk_importjob")
        stored = bytes(cursor.fetchone()[0])
    assert stored and b"045095" not in stored and b"Nguy" not in stored


def test_the_officer_may_import_the_valid_rows_only(officer, tmp_path):
    UserFactory(phone="+84988000005")
    path = bad_worker_file(tmp_path, existing_phone="0988 000 005")

    ok, lines = run_command("workers", path, officer, "--valid-only")

    assert ok
    assert problems(lines) == EXPECTED_WORKER_PROBLEMS
    phones = set(WorkerProfile.objects.values_list("user__phone", flat=True))
    assert phones == {"+84912000001", "+84912000008"}
    assert "valid rows only" in AuditEntry.objects.get(actor=officer).detail


def test_a_worker_under_15_is_refused_as_the_profile_page_refuses_them(officer, tmp_path):
    born = timezone.localdate() - timedelta(days=14 * 365)
    row = worker_row(1, date_of_birth=born.strftime("%d/%m/%Y"), id_number="")

    ok, lines = run_command("workers", as_csv([row], WORKER_HEADER, tmp_path), officer)

    assert not ok
    assert problems(lines) == [("2", "date_of_birth", "Người lao động phải từ đủ 15 tuổi trở lên.")]


def test_the_same_id_number_as_a_registered_worker_is_a_duplicate(officer, tmp_path):
    run_command("workers", as_csv([worker_row(1)], WORKER_HEADER, tmp_path, "first.csv"), officer)
    again = as_csv([worker_row(2, id_number=worker_row(1)["id_number"])], WORKER_HEADER, tmp_path, "again.csv")

    ok, lines = run_command("workers", again, officer)

    assert not ok
    assert problems(lines) == [("2", "id_number", "Đã đăng ký trên cổng.")]
    assert SensitiveRecord.objects.count() == 1


def test_a_vacancy_file_in_xlsx_lands_in_the_review_queue_and_duplicates_are_found(officer, tmp_path):
    employer = VerifiedEmployerFactory()
    member_of(employer)
    draft_vacancy(employer, title="Thợ hàn kết cấu thép")
    tax = employer.tax_code
    rows = [
        vacancy_row(tax, 1, training_level="sơ cấp"),
        vacancy_row(tax, 2, title="THỢ HÀN KẾT CẤU THÉP!"),  # the employer's draft, typed differently
        vacancy_row(tax, 3, title="Thợ hàn số 1"),  # row 2 again
        vacancy_row("0000000000", 4),
        vacancy_row(tax, 5, salary_min="20.000.000"),  # above the maximum: the service's own rule
        vacancy_row(tax, 6, deadline="31/02/2027"),
    ]

    ok, lines = run_command("vacancies", as_xlsx(rows, VACANCY_HEADER, tmp_path), officer, "--valid-only")

    assert ok
    assert problems(lines) == [
        ("3", "title", "Đã đăng ký trên cổng."),
        ("4", "title", "Trùng tin tuyển dụng của cùng đơn vị với dòng 2."),
        ("5", "tax_code", "Chưa có đơn vị nào đăng ký với mã số thuế này."),
        ("6", "salary_max", "Mức lương tối đa thấp hơn mức lương tối thiểu."),
        ("7", "deadline", "Ghi ngày theo dạng dd/mm/yyyy, ví dụ 27/11/2026."),
    ]
    imported = Vacancy.objects.get(title="Thợ hàn số 1")
    assert imported.status == Vacancy.Status.PENDING_REVIEW
    assert imported.training_level == "elementary"
    assert imported.commune == Commune.objects.get(name="Đông Hà")
    assert imported.salary_min_vnd == 9_000_000
    assert Vacancy.objects.count() == 2


def test_an_old_vacancy_whose_deadline_passed_does_not_block_the_same_vacancy_again(officer, tmp_path, api):
    employer = VerifiedEmployerFactory()
    member_of(employer)
    old = draft_vacancy(employer, title="Thợ hàn số 1")
    last_year = timezone.now() - timedelta(days=365)
    Vacancy.objects.filter(pk=old.pk).update(created_at=last_year, deadline=timezone.localdate(last_year))

    ok, lines = run_command("vacancies", as_csv([vacancy_row(employer.tax_code, 1)], VACANCY_HEADER, tmp_path), officer)

    assert ok, lines
    assert problems(lines) == []
    imported = Vacancy.objects.get(status=Vacancy.Status.PENDING_REVIEW)
    queue = api(officer).get("/api/v1/desk/queues/vacancies").json()["results"]
    assert [(item["id"], item["flags"]) for item in queue] == [(imported.pk, [])]  # the queue sees no duplicate either


def test_a_row_the_vacancy_service_refuses_stops_the_whole_file_and_is_reported_with_the_rest(officer, tmp_path):
    employer = VerifiedEmployerFactory()
    rows = [
        vacancy_row(employer.tax_code, 1),
        vacancy_row(employer.tax_code, 2, salary_max="1.000.000"),
        vacancy_row(employer.tax_code, 3, positions="0"),
    ]

    ok, lines = run_command("vacancies", as_csv(rows, VACANCY_HEADER, tmp_path), officer)

    assert not ok
    assert problems(lines) == [
        ("3", "salary_max", "Mức lương tối đa thấp hơn mức lương tối thiểu."),
        ("4", "positions", "Ghi một số nguyên từ 1 trở lên."),
    ]
    assert not Vacancy.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID


def test_a_file_of_10_000_workers_is_checked_and_imported(officer, tmp_path):
    path = as_csv([worker_row(index) for index in range(10_000)], WORKER_HEADER, tmp_path)

    ok, lines = run_command("workers", path, officer)

    assert ok, lines[:5]
    assert lines[0].startswith("Đã nhập: 10.000 dòng, 0 không hợp lệ, 10.000 đã nhập")
    assert WorkerProfile.objects.count() == 10_000
    assert SensitiveRecord.objects.exclude(id_number_index="").count() == 10_000


def report_on_page(html: str) -> list[tuple[str, str, str]]:
    body = html.split('<table class="desk-table report">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [tuple(unescape(cell) for cell in row) for row in rows]


@pytest.mark.celery
def test_the_page_runs_the_import_on_the_worker_and_shows_the_same_report_as_the_command(
    celery_worker, reference, tmp_path
):
    officer = OfficerFactory()
    UserFactory(phone="+84988000005")
    path = bad_worker_file(tmp_path, existing_phone="0988 000 005")
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in(client, officer)

    with path.open("rb") as file:
        uploaded = client.post("/desk/imports/", {"kind": "workers", "file": file})
    assert uploaded.status_code == 302
    job_page = uploaded["Location"]
    page = eventually(lambda: page_saying(client, job_page, "Chưa nhập"))

    assert page, "the import did not finish"
    assert 'http-equiv="refresh"' not in page
    assert report_on_page(page) == EXPECTED_WORKER_PROBLEMS
    assert not WorkerProfile.objects.exists()
    _ok, lines = run_command("workers", path, officer)
    assert problems(lines) == report_on_page(page)
    download = client.get(f"{job_page}report.csv").content.decode("utf-8-sig")
    assert [tuple(row) for row in csv.reader(io.StringIO(download))] == [("Dòng", "Cột", "Lỗi"), *report_on_page(page)]

    valid_only = client.post(job_page)  # "import the valid rows only"
    # The status, not "Đã nhập 0 dòng" of an import still running.
    done = eventually(lambda: page_saying(client, valid_only["Location"], "<strong>Đã nhập</strong>"))
    assert done, "the valid rows were not imported"
    assert "8 dòng, 6 không hợp lệ, 2 đã nhập" in done
    assert WorkerProfile.objects.count() == 2


def test_an_unfinished_import_shows_its_progress_and_refreshes_itself(officer):
    job = ImportJob.objects.create(kind="workers", filename="hoi-cho.xlsx", created_by=officer, status="validating")
    ImportJob.objects.filter(pk=job.pk).update(total_rows=1000, checked_rows=250)
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in(client, officer)

    page = client.get(f"/desk/imports/{job.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="100" value="25">' in page
    assert "Đã kiểm tra 250 trên 1.000 dòng" in page


def test_the_downloaded_template_filled_in_imports_through_the_api(api, officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in(client, officer)
    template = client.get("/desk/imports/template/workers.xlsx")
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == WORKER_HEADER
    assert workbook.worksheets[1]["A1"].value == "Cột"  # the guide, in Vietnamese
    for index in (1, 2):
        row = worker_row(index, date_of_birth="17/05/1995")
        for column, name in enumerate(header, start=1):
            sheet.cell(row=index + 1, column=column, value=row[name])
    sheet.cell(row=3, column=3, value=45095000002)  # typed as a number: Excel drops the leading zero
    sheet.cell(row=3, column=4, value=datetime(1995, 5, 17))  # typed as a date: a datetime in the file
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    filled.name = "hoi-cho-viec-lam.xlsx"

    response = api(officer).post("/api/v1/desk/imports", {"kind": "workers", "file": filled}, format="multipart")
    assert response.status_code == 202, response.json()
    run_import(response.json()["id"])  # what the worker runs after the commit
    job = api(officer).get(f"/api/v1/desk/imports/{response.json()['id']}").json()

    assert (job["status"], job["imported_rows"], job["errors"]) == ("done", 2, [])
    assert SensitiveRecord.objects.get(worker__user__phone="+84912000002").data == {"id_number": "045095000002"}
    assert WorkerProfile.objects.get(user__phone="+84912000002").date_of_birth == datetime(1995, 5, 17).date()


def test_a_file_that_is_not_csv_or_xlsx_is_refused_by_the_api_the_page_and_the_command_alike(api, officer, tmp_path):
    def upload():
        file = io.BytesIO(b"%PDF-1.4")
        file.name = "danh-sach.pdf"
        return file

    text = tmp_path / "danh-sach.txt"
    text.write_text(",".join(WORKER_HEADER), encoding="utf-8")

    response = api(officer).post("/api/v1/desk/imports", {"kind": "workers", "file": upload()}, format="multipart")
    page = officer_browser(officer).post("/desk/imports/", {"kind": "workers", "file": upload()})
    with pytest.raises(CommandError, match=re.escape("Hãy tải lên tệp .csv hoặc .xlsx.")):
        call_command("import_records", "workers", str(text), "--officer", officer.username, stdout=io.StringIO())

    assert response.status_code == 400
    assert response.json() == {"file": ["Hãy tải lên tệp .csv hoặc .xlsx."]}
    assert page.status_code == 400
    assert '<span class="error">Hãy tải lên tệp .csv hoặc .xlsx.</span>' in page.content.decode()
    assert not ImportJob.objects.exists()  # nothing stored to fail later
    assert api(UserFactory()).post("/api/v1/desk/imports", {}, format="multipart").status_code == 403


def officer_browser(officer) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    signed_in(client, officer)
    return client


def stopped_by_invalid_rows(officer, tmp_path) -> ImportJob:
    UserFactory(phone="+84988000005")
    run_command("workers", bad_worker_file(tmp_path, existing_phone="0988 000 005"), officer)
    return ImportJob.objects.get(status=ImportJob.Status.INVALID)


def test_a_double_click_on_import_the_valid_rows_imports_them_once(officer, tmp_path):
    stopped = stopped_by_invalid_rows(officer, tmp_path)
    client = officer_browser(officer)

    first = client.post(f"/desk/imports/{stopped.pk}/")
    second = client.post(f"/desk/imports/{stopped.pk}/")  # the same button, clicked again

    follow_up = ImportJob.objects.get(valid_only=True)  # one import of the valid rows, not two
    assert first["Location"] == second["Location"] == f"/desk/imports/{follow_up.pk}/"
    assert f"Các dòng hợp lệ của tệp này đã được nhập: xem lần nhập #{follow_up.pk}." in unescape(
        client.get(second["Location"]).content.decode()
    )
    stopped.refresh_from_db()
    assert (stopped.status, stopped.superseded_by, stopped.content) == ("superseded", follow_up, None)
    page = client.get(f"/desk/imports/{stopped.pk}/").content.decode()
    assert f'href="/desk/imports/{follow_up.pk}/"' in page
    assert "Chỉ nhập các dòng hợp lệ" not in page  # no button any more
    run_import(follow_up.pk)  # what the worker runs after the commit
    assert set(WorkerProfile.objects.values_list("user__phone", flat=True)) == {"+84912000001", "+84912000008"}


def test_an_import_handed_to_two_workers_is_run_by_one(officer, tmp_path):
    content = as_csv([worker_row(1), worker_row(2)], WORKER_HEADER, tmp_path).read_bytes()
    job = imports.import_start(by=officer, kind="workers", filename="hoi-cho.csv", content=content)
    read_table = imports.read_table

    def a_second_worker_starts_meanwhile(*args):
        run_import(job.pk)  # the same message delivered twice: the second worker starts while the first reads
        return read_table(*args)

    with mock.patch("desk.imports.read_table", side_effect=a_second_worker_starts_meanwhile) as reads:
        run_import(job.pk)

    job.refresh_from_db()
    assert (job.status, job.imported_rows, job.errors) == ("done", 2, [])
    assert reads.call_count == 1
    assert WorkerProfile.objects.count() == 2


def test_a_failed_import_keeps_no_file(officer, tmp_path):
    path = as_csv([worker_row(1)], WORKER_HEADER, tmp_path)

    with mock.patch.object(WorkerImporter, "create", side_effect=RuntimeError("the database went away")):
        ok, lines = run_command("workers", path, officer)

    assert not ok
    assert problems(lines) == [("1", "", "Nhập dữ liệu bị lỗi; chưa có dòng nào được nhập.")]
    assert ImportJob.objects.get().content is None


def test_import_files_are_emptied_after_7_days_whatever_became_of_them(officer, tmp_path):
    old = stopped_by_invalid_rows(officer, tmp_path)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    recent = imports.import_start(by=officer, kind="workers", filename="moi.csv", content=b"full_name", queue=False)
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "desk.tasks.purge_import_files" in schedule
    assert purge_import_files() == 1  # what beat runs every night

    old.refresh_from_db()
    assert old.content is None and old.status == "invalid" and len(old.errors) == 6  # the report stays
    assert ImportJob.objects.get(pk=recent.pk).file_bytes == b"full_name"
    client = officer_browser(officer)
    page = client.get(f"/desk/imports/{old.pk}/").content.decode()
    assert "Tệp không còn được lưu" in page
    assert "Chỉ nhập các dòng hợp lệ" not in page
    refused = client.post(f"/desk/imports/{old.pk}/", follow=True).content.decode()
    assert "Tệp không còn được lưu (tối đa 7 ngày)" in refused
    assert ImportJob.objects.count() == 2


def test_a_file_above_20_mb_is_refused_by_the_api_and_the_page_alike(api, officer):
    def upload():
        file = io.BytesIO(b"x" * (20 * 1024 * 1024 + 1))
        file.name = "hoi-cho.csv"
        return file

    response = api(officer).post("/api/v1/desk/imports", {"kind": "workers", "file": upload()}, format="multipart")
    page = officer_browser(officer).post("/desk/imports/", {"kind": "workers", "file": upload()})

    assert response.status_code == 400
    assert response.json() == {"file": ["Tệp lớn hơn 20 MB; hãy chia nhỏ tệp."]}
    assert page.status_code == 400
    assert '<span class="error">Tệp lớn hơn 20 MB; hãy chia nhỏ tệp.</span>' in page.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("write", [as_csv, as_xlsx])
def test_a_file_above_20_000_rows_is_refused_as_a_whole(officer, tmp_path, write):
    path = write([worker_row(index) for index in range(20_001)], WORKER_HEADER, tmp_path)

    ok, lines = run_command("workers", path, officer)

    assert not ok
    assert problems(lines) == [("1", "", "Tệp có hơn 20.000 dòng dưới dòng tiêu đề; hãy chia nhỏ tệp.")]
    assert not WorkerProfile.objects.exists()


def test_a_worker_registered_at_a_job_fair_claims_the_account_by_signing_up_and_keeps_the_profile(
    api, officer, tmp_path, sign_up
):
    run_command("workers", as_csv([worker_row(1)], WORKER_HEADER, tmp_path), officer)
    assert not WorkerProfile.objects.get(user__phone="+84912000001").user.has_usable_password()

    client = sign_up(api(), "0912 000 001")  # the code proves the number; the imported account becomes theirs

    profile = client.get("/api/v1/workers/me").json()
    assert profile["full_name"] == "Nguyễn Văn An 1"
    assert profile["desired_occupations"] == ["7212"]
    assert profile["sensitive"]["id_number"] == "045095000001"
    assert WorkerProfile.objects.filter(user__phone="+84912000001").count() == 1
    assert api().post("/api/v1/auth/login", {"phone": "0912000001", "password": "thohan-2026"}).status_code == 200


# --- A queue of their own ------------------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.search
def test_an_import_waits_on_its_own_queue_while_indexing_goes_on(transactional_db, reference, search_index, tmp_path):
    """`make run`'s worker consumes the default queue only: a queued import never holds up indexing, and the
    imports worker then runs it."""
    from celery.contrib.testing.worker import start_worker

    from jobs.services import occupation_save
    from portal.celery import app as celery_app
    from tests.conftest import found

    officer = OfficerFactory()
    content = as_csv([worker_row(1)], WORKER_HEADER, tmp_path).read_bytes()
    celery_app.control.purge()
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10, queues=["celery"]):
        job = imports.import_start(by=officer, kind="workers", filename="hoi-cho.csv", content=content)
        occupation_save(code="9999", name_vi="Thợ thử hàng đợi", name_en="Queue tester", aliases=[])

        assert eventually(lambda: "9999" in found("tho thu hang doi", search_index))
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.QUEUED
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10, queues=[settings.IMPORTS_QUEUE]):
        assert eventually(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)
    assert WorkerProfile.objects.count() == 1


def test_the_imports_worker_runs_with_memory_and_time_limits():
    supervised = configparser.RawConfigParser()
    supervised.read(settings.BASE_DIR / "scripts" / "supervisord.conf")

    assert "--queues celery" in supervised["program:worker"]["command"]
    assert f"--queues {settings.IMPORTS_QUEUE}" in supervised["program:imports"]["command"]
    assert "--max-memory-per-child" in supervised["program:imports"]["command"]
    assert run_import.soft_time_limit == settings.IMPORT_SOFT_TIME_LIMIT < run_import.time_limit
