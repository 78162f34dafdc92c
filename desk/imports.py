"""Job-fair and legacy imports: a CSV or XLSX file of worker registrations or vacancies.

One code path for the page (a Celery task) and `manage.py import_records`: `import_start` stores the
file as an `ImportJob`, `import_run` reads it, checks every row with a form per row that calls the
same rules as the services (mobile numbers, the ID number's structure, commune and occupation look-ups,
dates as dd/mm/yyyy), finds duplicates within the file and against the database with one query per
chunk, and writes the report: row, column, message, in Vietnamese. Nothing is imported while a row is
invalid unless the officer chose the valid rows only; the import is one transaction.

Vacancies go through `jobs.services.vacancy_create` and `vacancy_submit` row by row (every vacancy
rule applies; a row the service refuses is reported like any other) and land in the review queue.
Workers are bulk-created: the account (with no usable password: nobody signs in with it), the
profile and the encrypted ID number, with no consent (they give it themselves).

The file holds names, phones and ID numbers: it is kept (encrypted) only while it may still be
needed, emptied once the import is done, failed or superseded, and after `FILE_RETENTION` whatever
happened (Law 91/2025: personal data kept no longer than its purpose needs).
"""

import csv
import io
import logging
import time
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.phones import normalise_mobile
from accounts.services import officer_audit
from candidates import abroad
from candidates import services as candidate_services
from candidates.models import EducationLevel, Placement, SensitiveRecord, Sex, WorkerProfile
from desk import exports
from desk.models import ImportJob
from desk.queues import duplicate_key, duplicates_of
from fairs import services as fair_services
from fairs.models import Outcome
from jobs import services as job_services
from jobs.models import INSTITUTION_KINDS, Commune, Occupation, Organisation, TrainingLevel, Vacancy
from jobs.permissions import may_act_for, require_officer
from portal.enqueue import enqueue_on_commit
from search.text import fold
from training import services as training
from training.models import Course, Enrolment

logger = logging.getLogger(__name__)
CHUNK = 500  # rows checked between progress updates, and per duplicate look-up
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # under the header; a job fair brings hundreds, a legacy register a few thousand
MAX_COLUMNS = 40  # the longest template has 13 columns; room for notes officers add, no room for a bomb
# An XLSX is a zip archive: 20 MB of it may unpack to gigabytes (openpyxl reads the shared strings whole).
# A table of 20.000 registrations unpacks to about 15 MB.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
FILE_RETENTION = timedelta(days=7)  # time enough to read the report and import the valid rows
Kind = ImportJob.Kind


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str


COLUMNS = {
    Kind.WORKERS: [
        Column("full_name", True, gettext_lazy("Full name")),
        Column("phone", True, gettext_lazy("Mobile number, such as 0912 345 678")),
        Column("id_number", False, gettext_lazy("ID number (CCCD), 12 digits; format the column as text")),
        Column("date_of_birth", True, gettext_lazy("Date of birth, dd/mm/yyyy")),
        Column("sex", True, gettext_lazy("Sex: nam or nữ")),
        Column("commune", True, gettext_lazy("Commune of residence: its code or its name")),
        Column("education", True, gettext_lazy("Education: none, primary, lower_secondary, upper_secondary, higher")),
        Column("occupation", False, gettext_lazy("Desired occupation: VSCO 2020 code, such as 7212")),
    ],
    Kind.VACANCIES: [
        Column("tax_code", True, gettext_lazy("The employer's tax code (registered on the portal)")),
        Column("title", True, gettext_lazy("Title")),
        Column("description", True, gettext_lazy("Description")),
        Column("occupation", True, gettext_lazy("Occupation: VSCO 2020 code, such as 7212")),
        Column("commune", True, gettext_lazy("Commune of the workplace: its code or its name")),
        Column("positions", True, gettext_lazy("Number of positions")),
        Column("salary_min", True, gettext_lazy("Minimum monthly salary in VND, such as 8.000.000")),
        Column("salary_max", True, gettext_lazy("Maximum monthly salary in VND")),
        Column("contract_type", True, gettext_lazy("Contract: permanent, fixed_term, seasonal, part_time")),
        Column("deadline", True, gettext_lazy("Application deadline, dd/mm/yyyy")),
        Column("contact_name", True, gettext_lazy("Contact person")),
        Column("contact_phone", True, gettext_lazy("Contact phone")),
        Column("training_level", False, gettext_lazy("Required training, such as elementary; empty for none")),
    ],
}


# --- Reading files ---------------------------------------------------------------------------


class FileError(Exception):
    pass


def read_table(filename: str, content: bytes) -> list[list]:
    """The file's rows as lists of cell values: XLSX through openpyxl (read-only), CSV through csv.
    Reading stops past the header and `MAX_ROWS` rows (empty ones count: each costs memory and time), and no
    row is read wider than `MAX_COLUMNS`: memory stays bounded whatever the file says about itself."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:  # a CSV: import_start takes no other kind of file
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(_("Save the CSV file as UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel in Vietnamese uses ;
    try:
        table = _at_most_max_rows(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:  # a field longer than csv's limit (128 KB), a stray NUL
        raise FileError(_("The file is not a readable CSV table.")) from None
    if any(len(row) > MAX_COLUMNS for row in table):
        raise _too_wide()
    return table


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(member.file_size for member in archive.infolist())  # as declared; reading stops there
    except (zipfile.BadZipFile, ValueError):
        raise FileError(_("The file is not a readable XLSX workbook.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileError(
            _("The workbook unpacks to more than %(size)s MB; save only the table of rows in it, or split it.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise FileError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # The sheet's declared size, read before any row: openpyxl pads every row to it.
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_wide()
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise _too_long()
        # If the declared size is missing or false, the reading itself stops at the limits.
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2, values_only=True)
        return _at_most_max_rows(list(row) for row in rows)
    finally:
        workbook.close()


def _at_most_max_rows(rows) -> list[list]:
    table = list(islice(rows, MAX_ROWS + 2))  # the header, the rows allowed, and one too many
    if len(table) > MAX_ROWS + 1:
        raise _too_long()
    return table


def _too_long() -> FileError:
    return FileError(
        _("The file has more than %(rows)s rows under its header; split it.")
        % {"rows": number_format(MAX_ROWS, force_grouping=True)}
    )


def _too_wide() -> FileError:
    return FileError(
        _("The file has more than %(columns)s columns; keep only the template's.") % {"columns": MAX_COLUMNS}
    )


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "date") and callable(value.date):  # a date typed in Excel arrives as a datetime
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def template_file(kind: str, fmt: str) -> bytes:
    """The template offered for download: the header row; in XLSX, a second sheet explaining each column."""
    names = [column.name for column in COLUMNS[kind]]
    if fmt == "csv":
        return exports.csv_bytes(names, [])
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(ImportJob.Kind(kind).label)[:31]
    sheet.append(names)
    for index in range(1, len(names) + 1):  # text cells keep the leading zeros of ID and phone numbers
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    guide = workbook.create_sheet(_("Guide")[:31])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS[kind]:
        guide.append([column.name, _("yes") if column.required else _("no"), str(column.help)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Starting and running an import ----------------------------------------------------------


@transaction.atomic
def import_start(*, by, kind: str, filename: str, content: bytes, valid_only: bool = False, queue: bool = True):
    """Store the file; the Celery task runs it after the commit (the command runs it at once).
    A file that is not CSV or XLSX (by its name) is refused here, for the page, the API and the command alike;
    so is a larger one: the page and the API read at most `MAX_FILE_BYTES` + 1 bytes of an upload."""
    require_importer(by, kind)
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(size)s MB; split it.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}]}
        )
    job = ImportJob(kind=kind, filename=filename, valid_only=valid_only, created_by=by)
    job.file_bytes = content
    job.save()
    if queue:  # with the broker down, desk.tasks.sweep_imports queues it later
        from desk.tasks import run_import

        enqueue_on_commit(run_import, job.pk)
    return job


def import_upload(*, by, kind: str, file, valid_only: bool = False):
    """`import_start` for an uploaded file (the pages and the API): at most `MAX_FILE_BYTES` + 1 bytes are
    read, enough to know it is too large."""
    content = file.read(MAX_FILE_BYTES + 1)
    return import_start(by=by, kind=kind, filename=file.name, content=content, valid_only=valid_only)


def require_importer(by, kind: str) -> None:
    """Officers import every kind; the members of a training institution import the enrolment and
    completion lists of their own courses (each row is checked against the course's organisation)."""
    if kind in TRAINING_KINDS and Organisation.objects.of_member(by).filter(kind__in=INSTITUTION_KINDS).exists():
        return
    require_officer(by)


@transaction.atomic
def import_valid_rows(*, job: ImportJob, by) -> ImportJob:
    """After a report with invalid rows, the officer chooses to import the valid ones: once. The stopped
    import is locked, becomes superseded by the new one, and gives its file to it."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.SUPERSEDED:
        raise ValidationError(
            {
                "status": [
                    _("The valid rows of this file are imported already: see import #%(id)s.")
                    % {"id": job.superseded_by_id}
                ]
            }
        )
    if job.status != ImportJob.Status.INVALID:
        raise ValidationError({"status": [_("Only an import stopped by invalid rows can be run for its valid rows.")]})
    if not job.content:
        raise ValidationError(
            {"status": [_("The file is no longer kept (7 days at most); upload it again to import its valid rows.")]}
        )
    follow_up = import_start(by=by, kind=job.kind, filename=job.filename, content=job.file_bytes, valid_only=True)
    job.status, job.superseded_by, job.content = ImportJob.Status.SUPERSEDED, follow_up, None
    job.save(update_fields=["status", "superseded_by", "content"])
    return follow_up


def import_files_purge(*, now=None) -> int:
    """Empty every uploaded file older than `FILE_RETENTION`, whatever became of its import; how many."""
    cutoff = (now or timezone.now()) - FILE_RETENTION
    return ImportJob.objects.filter(created_at__lt=cutoff, content__isnull=False).update(content=None)


def import_run(job: ImportJob) -> ImportJob:
    """Check every row, then import: all rows, or the valid ones if the officer chose so."""
    started = time.monotonic()
    with translation.override("vi"):  # the report is read by the province's officers
        try:
            return _run(job, started)
        except Exception:
            # Whatever broke, the transaction is rolled back and the officer sees a finished import.
            logger.exception("Import %s failed", job.pk)
            return _finish(
                job, ImportJob.Status.FAILED, started, [_entry(1, "", _("The import failed; nothing was imported."))]
            )


def import_abandoned(job_id: int) -> None:
    """The worker running this import died (desk.tasks.run_import knows): its transaction was rolled back
    with its connection, so nothing was imported; the import ends as failed, and the file is uploaded again."""
    job = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING]
    ).first()
    if job is not None:
        logger.warning("Import %s lost its worker; marked failed", job_id)
        with translation.override("vi"):
            stopped = _("The import stopped half-way (its worker died); nothing was imported. Upload the file again.")
            _finish(job, ImportJob.Status.FAILED, time.monotonic(), [_entry(1, "", stopped)])


def _run(job: ImportJob, started: float) -> ImportJob:
    try:
        rows = _checked_rows(job)
    except FileError as error:
        return _finish(job, ImportJob.Status.INVALID, started, [_entry(1, "", str(error))])
    if rows is None:
        return _finish(job, ImportJob.Status.INVALID, started, job.errors)
    valid = [row for row in rows if row.cleaned is not None]
    errors = [entry for row in rows for entry in row.errors]
    # With invalid rows and no "valid rows only", the valid rows still go through the services, in a
    # transaction rolled back at the end: the report then holds every problem of the file at once.
    dry_run = bool(errors) and not job.valid_only
    job.invalid_rows = len({entry["row"] for entry in errors})
    if not dry_run:
        job.status = ImportJob.Status.IMPORTING
    job.save(update_fields=["status", "invalid_rows"])
    with transaction.atomic():
        imported, refused = IMPORTERS[job.kind].create(
            valid, job.created_by, progress=lambda n: _imported_so_far(job, n)
        )
        errors += refused
        if errors and not job.valid_only:
            transaction.set_rollback(True)  # all or nothing
        else:
            job.imported_rows = imported
            officer_audit(
                by=job.created_by,
                what=f"imported {imported} {job.kind} from {job.filename} (import {job.pk})",
                why="valid rows only" if job.valid_only else "all rows valid",
            )
            return _finish(job, ImportJob.Status.DONE, started, errors)
    return _finish(job, ImportJob.Status.INVALID, started, errors)


def _imported_so_far(job: ImportJob, count: int) -> None:
    # The import is one transaction, invisible to the page until it commits: its progress goes through Redis.
    cache.set(f"desk:import:{job.pk}:imported", count, timeout=24 * 3600)


def imported_so_far(job: ImportJob) -> int:
    """Rows imported so far by a running import (its transaction is still open)."""
    if job.status == ImportJob.Status.DONE:
        return job.imported_rows
    return cache.get(f"desk:import:{job.pk}:imported", 0) if job.status == ImportJob.Status.IMPORTING else 0


def report_lines(job: ImportJob) -> list[str]:
    """The report as the command prints it: a summary, then row, column and message, tab-separated
    (the page shows the same entries as a table)."""
    summary = _("%(status)s: %(total)s rows, %(invalid)s invalid, %(imported)s imported (%(seconds)s s)") % {
        "status": capfirst(job.get_status_display()),
        "total": number_format(job.total_rows, force_grouping=True),
        "invalid": number_format(job.invalid_rows, force_grouping=True),
        "imported": number_format(job.imported_rows, force_grouping=True),
        "seconds": number_format(job.seconds or 0, decimal_pos=1),
    }
    return [summary, *(f"{entry['row']}\t{entry['field']}\t{entry['message']}" for entry in job.errors)]


def _finish(job: ImportJob, status: str, started: float, errors: list[dict]) -> ImportJob:
    job.status, job.finished_at, job.seconds = status, timezone.now(), round(time.monotonic() - started, 2)
    job.errors = sorted(errors, key=lambda entry: entry["row"])
    job.invalid_rows = len({entry["row"] for entry in errors})
    if status != ImportJob.Status.DONE:
        job.imported_rows = 0
    if status != ImportJob.Status.INVALID:
        # The file holds personal data: only an import stopped by invalid rows may still need it (for
        # "import the valid rows"); done, what was imported is in the database; failed, it is uploaded again.
        job.content = None
    job.save()
    return job


def _entry(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "message": str(message)}


@dataclass
class FileRow:
    """A row of the uploaded file, as read and then checked (desk.statistics.Row is a row of figures)."""

    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict
    cleaned: dict | None = None
    errors: list | None = None


def _checked_rows(job: ImportJob) -> list[FileRow] | None:
    table = read_table(job.filename, job.file_bytes)
    header = [cell_text(value).lower() for value in (table[0] if table else [])]
    if header_errors := _header_errors(job.kind, header):
        job.errors = header_errors
        return None
    rows = [
        FileRow(number, dict(zip(header, (cell_text(value) for value in values), strict=False)))
        for number, values in enumerate(table[1:], start=2)
        if any(cell_text(value) for value in values)
    ]
    if not rows:
        raise FileError(_("The file has no rows under its header."))
    job.total_rows, job.status = len(rows), ImportJob.Status.VALIDATING
    job.save(update_fields=["total_rows", "status"])
    importer = IMPORTERS[job.kind]()
    for start in range(0, len(rows), CHUNK):
        importer.check(rows[start : start + CHUNK])
        job.checked_rows = min(start + CHUNK, len(rows))
        job.save(update_fields=["checked_rows"])  # the page polls this
    return rows


def _header_errors(kind: str, header: list[str]) -> list[dict]:
    known = {column.name for column in COLUMNS[kind]}
    errors = [
        _entry(1, column.name, _("This column is missing; download the template."))
        for column in COLUMNS[kind]
        if column.required and column.name not in header
    ]
    errors += [_entry(1, name, _("Unknown column.")) for name in header if name and name not in known]
    twice = sorted({name for name in header if name and header.count(name) > 1})
    errors += [_entry(1, name, _("This column appears twice.")) for name in twice]
    return errors


# --- Rows: the rules of each kind ------------------------------------------------------------


class ReferenceData:
    """Communes and occupations loaded once per import, looked up by code or by folded name."""

    def __init__(self):
        self.communes = {}
        for pk, code, name, kind in Commune.objects.values_list("pk", "code", "name", "kind"):
            label = Commune.Kind(kind).label  # "phường Đông Hà" as well as "Đông Hà"
            self.communes.update({code: pk, fold(name): pk, fold(f"{label} {name}"): pk})
        self.occupations = dict(Occupation.objects.values_list("code", "pk"))

    def commune(self, text: str) -> int:
        found = self.communes.get(text) or self.communes.get(fold(text))
        if found is None:
            raise ValidationError(_("Unknown commune: give a commune of Quảng Trị by its code or its name."))
        return found

    def occupation(self, text: str) -> int:
        found = self.occupations.get(text.strip())
        if found is None:
            raise ValidationError(_("Unknown occupation code: give a VSCO 2020 code, such as 7212."))
        return found


def parse_date(text: str) -> date:
    try:
        day, month, year = (int(part) for part in text.strip().split("/"))
        return date(year, month, day)
    except ValueError:
        raise ValidationError(_("Write the date as dd/mm/yyyy, such as 27/11/2026.")) from None


def parse_amount(text: str) -> int:
    digits = text.replace(".", "").replace(" ", "").replace(",", "")  # 8.000.000 as written here
    if not digits.isdigit():
        raise ValidationError(_("Write a whole number of đồng, such as 8.000.000."))
    return int(digits)


def parse_choice(text: str, choices) -> str:
    """A choice by its code or by its Vietnamese label, with or without diacritics."""
    wanted = fold(text)
    for value, label in choices:
        if wanted in (value, fold(str(label))):
            return value
    raise ValidationError(
        _("Unknown value; write one of: %(values)s.") % {"values": ", ".join(value for value, _label in choices)}
    )


SEX_WORDS = {"nam": Sex.MALE, "nu": Sex.FEMALE}


class Importer:
    """Checks rows (a chunk at a time) and creates the valid ones. Each field's rule is a parser."""

    parsers: dict = {}
    kind: str

    def __init__(self):
        self.reference = ReferenceData()
        self.seen = {}  # duplicate keys within the file → the first row that had them

    def check(self, rows: list[FileRow]) -> None:
        for row in rows:
            row.errors, cleaned = [], {}
            for column in COLUMNS[self.kind]:
                text = row.values.get(column.name, "")
                if not text:
                    if column.required:
                        row.errors.append(_entry(row.number, column.name, _("This field is required.")))
                    continue
                try:
                    cleaned[column.name] = self.parse(column.name, text)
                except ValidationError as error:
                    row.errors += [_entry(row.number, column.name, message) for message in error.messages]
            if not row.errors:
                try:
                    self.clean(cleaned)
                except ValidationError as error:
                    for field, messages in error.message_dict.items():
                        row.errors += [_entry(row.number, field, message) for message in messages]
            row.cleaned = None if row.errors else cleaned
        self.find_duplicates([row for row in rows if row.cleaned is not None])

    def parse(self, name: str, text: str):
        parser = self.parsers.get(name)
        return parser(self, text) if parser else text[:200]

    def clean(self, cleaned: dict) -> None:
        """Rules across fields."""

    def duplicate(self, row: FileRow, key, field: str, message_in_file: str, registered: bool) -> None:
        if registered:
            row.errors.append(_entry(row.number, field, _("Already registered on the portal.")))
        elif key in self.seen:
            row.errors.append(_entry(row.number, field, message_in_file % {"row": self.seen[key]}))
        else:
            self.seen[key] = row.number
            return
        row.cleaned = None


def parse_id_number(text: str) -> str:
    """Digits typed in groups ("0451 2345 6789"), or a number cell that lost its leading zero."""
    digits = "".join(text.split())
    return digits.zfill(12) if digits.isdigit() else text


class WorkerImporter(Importer):
    kind = Kind.WORKERS
    parsers = {
        "full_name": lambda self, text: " ".join(text.split())[:100],
        "phone": lambda self, text: normalise_mobile(text),
        "id_number": lambda self, text: parse_id_number(text),
        "date_of_birth": lambda self, text: parse_date(text),
        "sex": lambda self, text: SEX_WORDS.get(fold(text)) or parse_choice(text, Sex.choices),
        "commune": lambda self, text: self.reference.commune(text),
        "education": lambda self, text: parse_choice(text, EducationLevel.choices),
        "occupation": lambda self, text: self.reference.occupation(text),
    }

    def clean(self, cleaned: dict) -> None:
        """The rules of a worker's own profile (`candidates.services.profile_check`); the commune is known
        to exist already (ReferenceData)."""
        cleaned["profile"] = {name: cleaned[name] for name in ("full_name", "date_of_birth", "sex", "education")}
        cleaned["profile"]["commune_id"] = cleaned["commune"]
        candidate_services.profile_check(WorkerProfile(**cleaned["profile"]), known=("commune",))
        if number := cleaned.get("id_number"):
            born, sex = cleaned["date_of_birth"], cleaned["sex"]
            cleaned["id_number_index"] = candidate_services.id_number_index(number, born=born, sex=sex)

    def find_duplicates(self, rows: list[FileRow]) -> None:
        phones = set(User.objects.filter(phone__in=[r.cleaned["phone"] for r in rows]).values_list("phone", flat=True))
        indexes = [r.cleaned["id_number_index"] for r in rows if "id_number_index" in r.cleaned]
        known = set(
            SensitiveRecord.objects.filter(id_number_index__in=indexes).values_list("id_number_index", flat=True)
        )
        same_phone, same_id = _("The same mobile number as row %(row)s."), _("The same ID number as row %(row)s.")
        for row in rows:
            phone = row.cleaned["phone"]
            self.duplicate(row, ("phone", phone), "phone", same_phone, phone in phones)
            if row.cleaned is not None and "id_number_index" in row.cleaned:
                index = row.cleaned["id_number_index"]
                self.duplicate(row, ("id", index), "id_number", same_id, index in known)

    @staticmethod
    def create(rows: list[FileRow], by, progress) -> tuple[int, list]:
        profiles = candidate_services.profiles_register([row.cleaned for row in rows])
        progress(len(profiles))
        return len(profiles), []


class VacancyImporter(Importer):
    kind = Kind.VACANCIES
    domestic_contracts = [(v, label) for v, label in Vacancy.ContractType.choices if v != Vacancy.ContractType.OVERSEAS]
    parsers = {
        "tax_code": lambda self, text: text.strip(),
        "title": lambda self, text: " ".join(text.split())[:200],
        "description": lambda self, text: text,
        "occupation": lambda self, text: self.reference.occupation(text),
        "commune": lambda self, text: self.reference.commune(text),
        "positions": lambda self, text: _positive(text),
        "salary_min": lambda self, text: parse_amount(text),
        "salary_max": lambda self, text: parse_amount(text),
        "contract_type": lambda self, text: parse_choice(text, VacancyImporter.domestic_contracts),
        "deadline": lambda self, text: parse_date(text),
        "contact_name": lambda self, text: text[:100],
        "contact_phone": lambda self, text: text[:20],
        "training_level": lambda self, text: parse_choice(text, TrainingLevel.choices),
    }

    def find_duplicates(self, rows: list[FileRow]) -> None:
        tax_codes = {row.cleaned["tax_code"] for row in rows}
        organisations = dict(Organisation.objects.filter(tax_code__in=tax_codes).values_list("tax_code", "pk"))
        for row in rows:
            if (organisation := organisations.get(row.cleaned["tax_code"])) is None:
                unknown = _("No organisation with this tax code is registered.")
                row.errors.append(_entry(row.number, "tax_code", unknown))
                row.cleaned = None
            else:
                row.cleaned["organisation"] = organisation
        rows = [row for row in rows if row.cleaned is not None]
        # Refused: what the review queue would flag once imported. Within the file the key is enough:
        # every row opens today, and a deadline already passed is refused by the vacancy service.
        vacancies = [
            Vacancy(
                organisation_id=row.cleaned["organisation"],
                occupation_id=row.cleaned["occupation"],
                title=row.cleaned["title"],
                deadline=row.cleaned["deadline"],
            )
            for row in rows
        ]
        same = _("The same vacancy of the same employer as row %(row)s.")
        for row, vacancy, other in zip(rows, vacancies, duplicates_of(vacancies), strict=True):
            self.duplicate(row, duplicate_key(vacancy), "title", same, other is not None)

    @staticmethod
    def create(rows: list[FileRow], by, progress) -> tuple[int, list]:
        organisations = Organisation.objects.in_bulk({row.cleaned["organisation"] for row in rows})
        created, refused = 0, []
        for row in rows:
            fields = dict(row.cleaned)
            organisation = organisations[fields.pop("organisation")]
            fields.pop("tax_code")
            fields |= {
                "occupation_id": fields.pop("occupation"),
                "commune_id": fields.pop("commune"),
                "is_overseas": False,
                "currency": "VND",
            }
            try:
                with transaction.atomic():  # a refused row leaves nothing behind
                    vacancy = job_services.vacancy_create(organisation=organisation, by=by, **fields)
                    job_services.vacancy_submit(vacancy=vacancy, by=by)
                created += 1
                if created % 100 == 0:
                    progress(created)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    refused += [_entry(row.number, field if field != "__all__" else "", m) for m in messages]
        return created, refused


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValidationError(_("Write a whole number of at least 1."))
    return int(text)


IMPORTERS = {Kind.WORKERS: WorkerImporter, Kind.VACANCIES: VacancyImporter}


# --- Training: enrolment and completion lists of an institution's courses (training/services.py) --------

COLUMNS[Kind.ENROLMENTS] = [
    Column("course", True, gettext_lazy("The course's number on the portal (in its address: /courses/12/)")),
    Column("phone", True, gettext_lazy("The worker's mobile number, registered on the portal")),
]
COLUMNS[Kind.COMPLETIONS] = [
    *COLUMNS[Kind.ENROLMENTS],
    Column("result", True, gettext_lazy("Result: đạt (passed: a certificate is issued) or không đạt")),
    Column("completed_on", True, gettext_lazy("Completed on, dd/mm/yyyy")),
    Column("serial_number", False, gettext_lazy("Certificate serial number")),
]
TRAINING_KINDS = {Kind.ENROLMENTS, Kind.COMPLETIONS}
RESULT_WORDS = {"dat": True, "passed": True, "khong dat": False, "failed": False}


def _result(text: str) -> bool:
    if (passed := RESULT_WORDS.get(fold(text))) is None:
        raise ValidationError(_("Write đạt or không đạt."))
    return passed


class EnrolmentImporter(Importer):
    """Rows go through `training.services` one by one, as vacancies do: every enrolment rule applies
    (a course still to start, seats left) and a row a service refuses is reported with its column."""

    kind = Kind.ENROLMENTS
    parsers = {
        "course": lambda self, text: _positive(text),
        "phone": lambda self, text: normalise_mobile(text),
        "result": lambda self, text: _result(text),
        "completed_on": lambda self, text: parse_date(text),
        "serial_number": lambda self, text: text[:50],
    }
    FIELDS = {"course": "course", "enrolment": "phone", "status": "phone", "completed_on": "completed_on"}

    def find_duplicates(self, rows: list[FileRow]) -> None:
        courses = Course.objects.select_related("organisation").in_bulk({row.cleaned["course"] for row in rows})
        workers = dict(
            WorkerProfile.objects.filter(user__phone__in=[row.cleaned["phone"] for row in rows]).values_list(
                "user__phone", "pk"
            )
        )
        same = _("The same person and course as row %(row)s.")
        for row in rows:
            if row.cleaned["course"] not in courses:
                row.errors.append(_entry(row.number, "course", _("No course with this number.")))
            elif row.cleaned["phone"] not in workers:
                row.errors.append(_entry(row.number, "phone", _("No worker with this mobile number is registered.")))
            else:
                row.cleaned |= {"course": courses[row.cleaned["course"]], "worker": workers[row.cleaned["phone"]]}
                self.duplicate(row, (row.cleaned["course"].pk, row.cleaned["worker"]), "phone", same, False)
                continue
            row.cleaned = None

    @classmethod
    def create(cls, rows: list[FileRow], by, progress) -> tuple[int, list]:
        created, refused = 0, []
        workers = WorkerProfile.objects.in_bulk({row.cleaned["worker"] for row in rows})
        for row in rows:
            if not may_act_for(by, row.cleaned["course"].organisation):
                refused.append(_entry(row.number, "course", _("This course is not one of your organisation's.")))
                continue
            try:
                with transaction.atomic():  # a refused row leaves nothing behind
                    cls.write(row.cleaned, workers[row.cleaned["worker"]], by)
                created += 1
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    refused += [_entry(row.number, cls.FIELDS.get(field, ""), m) for m in messages]
        progress(created)
        return created, refused

    @staticmethod
    def write(cleaned: dict, worker, by) -> None:
        enrolment = training.enrol(worker=worker, course=cleaned["course"])
        training.enrolment_accept(enrolment=enrolment, by=by)


class CompletionImporter(EnrolmentImporter):
    kind = Kind.COMPLETIONS

    @staticmethod
    def write(cleaned: dict, worker, by) -> None:
        enrolment = Enrolment.objects.filter(course=cleaned["course"], worker=worker).first()
        if enrolment is None:
            raise ValidationError({"enrolment": [_("This person is not enrolled in the course.")]})
        training.enrolment_complete(
            enrolment=enrolment,
            by=by,
            passed=cleaned["result"],
            completed_on=cleaned["completed_on"],
            serial_number=cleaned.get("serial_number", ""),
        )


IMPORTERS |= {Kind.ENROLMENTS: EnrolmentImporter, Kind.COMPLETIONS: CompletionImporter}


# --- Work abroad: the sending organisations' monthly lists of returns, which the department imports --------

COLUMNS[Kind.RETURNS] = [
    Column("phone", True, gettext_lazy("The worker's mobile number, registered on the portal")),
    Column("returned_on", True, gettext_lazy("Returned home on, dd/mm/yyyy")),
    Column("language", False, gettext_lazy("Language certificate held on return: jlpt, eps_topik, topik, cefr_de…")),
    Column("level", False, gettext_lazy("Its level or score, such as N3 or 180")),
]


class ReturnImporter(Importer):
    """Each row is the worker's latest placement abroad not yet returned, and goes through
    `abroad.return_record` (the same rules as the API: not before the departure, nor later than today)."""

    kind = Kind.RETURNS
    parsers = {
        "phone": lambda self, text: normalise_mobile(text),
        "returned_on": lambda self, text: parse_date(text),
        "language": lambda self, text: text.strip().lower(),
    }
    FIELDS = {"returned_on": "returned_on", "level": "level"}

    def clean(self, cleaned: dict) -> None:
        if bool(cleaned.get("language")) != bool(cleaned.get("level")):
            raise ValidationError({"level": [_("Give the language certificate and its level together.")]})

    def find_duplicates(self, rows: list[FileRow]) -> None:
        phones = [row.cleaned["phone"] for row in rows]
        placements = {}
        waiting = Placement.objects.filter(worker__user__phone__in=phones, is_abroad=True, returned_on=None)
        for phone, pk in waiting.order_by("placed_on", "pk").values_list("worker__user__phone", "pk"):
            placements[phone] = pk  # the latest departure wins
        same = _("The same person as row %(row)s.")
        for row in rows:
            if row.cleaned["phone"] not in placements:
                row.errors.append(_entry(row.number, "phone", _("No departure of this worker waits for a return.")))
                row.cleaned = None
                continue
            row.cleaned["placement"] = placements[row.cleaned["phone"]]
            self.duplicate(row, row.cleaned["phone"], "phone", same, False)

    @classmethod
    def create(cls, rows: list[FileRow], by, progress) -> tuple[int, list]:
        created, refused = 0, []
        placements = Placement.objects.in_bulk([row.cleaned["placement"] for row in rows])
        for row in rows:
            cleaned = row.cleaned
            try:
                with transaction.atomic():  # a refused row leaves nothing behind
                    abroad.return_record(
                        placement=placements[cleaned["placement"]],
                        by=by,
                        returned_on=cleaned["returned_on"],
                        framework=cleaned.get("language", ""),
                        level=cleaned.get("level", ""),
                        imported=True,
                    )
                created += 1
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    refused += [_entry(row.number, cls.FIELDS.get(field, ""), m) for m in messages]
        progress(created)
        return created, refused


# --- Job fairs: what came of a fair (fairs/services.py) -------------------------------------------

COLUMNS[Kind.PLACEMENTS] = [
    Column("fair", True, gettext_lazy("The fair's number on the portal (in its address: /fairs/12/)")),
    Column("vacancy", True, gettext_lazy("The vacancy's number on the portal, one the fair's employers brought")),
    Column("phone", True, gettext_lazy("The worker's mobile number, registered on the portal")),
    Column("result", True, gettext_lazy("Result: tuyển (hired: a placement awaiting confirmation) or phỏng vấn")),
    Column("placed_on", False, gettext_lazy("Hired on, dd/mm/yyyy; empty for the fair's date")),
]
HIRE_WORDS = {"tuyen": True, "hired": True, "phong van": False, "interviewed": False}


def _hired(text: str) -> bool:
    if (hired := HIRE_WORDS.get(fold(text))) is None:
        raise ValidationError(_("Write tuyển or phỏng vấn."))
    return hired


class PlacementImporter(Importer):
    """Each row is a worker interviewed at a fair for a vacancy one of its employers brought; a hire
    becomes a pending placement, confirmed on the queue. Refused: a vacancy not at that fair, a worker
    not registered on the portal, the same hire twice (in the file or already imported)."""

    kind = Kind.PLACEMENTS
    parsers = {
        "fair": lambda self, text: _positive(text),
        "vacancy": lambda self, text: _positive(text),
        "phone": lambda self, text: normalise_mobile(text),
        "result": lambda self, text: _hired(text),
        "placed_on": lambda self, text: parse_date(text),
    }

    def find_duplicates(self, rows: list[FileRow]) -> None:
        at_fair = fair_services.vacancies_at({row.cleaned["fair"] for row in rows})
        workers = dict(
            WorkerProfile.objects.filter(user__phone__in=[row.cleaned["phone"] for row in rows]).values_list(
                "user__phone", "pk"
            )
        )
        for row in rows:
            row.cleaned["worker"] = workers.get(row.cleaned["phone"])
        known = set(
            Outcome.objects.filter(
                fair__in=at_fair, worker__in=[row.cleaned["worker"] for row in rows if row.cleaned["worker"]]
            ).values_list("fair", "vacancy", "worker")
        )
        same = _("The same worker and vacancy as row %(row)s.")
        for row in rows:
            fair, vacancy, worker = row.cleaned["fair"], row.cleaned["vacancy"], row.cleaned["worker"]
            if fair not in at_fair:
                row.errors.append(_entry(row.number, "fair", _("No fair with this number has vacancies.")))
            elif vacancy not in at_fair[fair]:
                row.errors.append(_entry(row.number, "vacancy", _("This vacancy is not at that fair.")))
            elif worker is None:
                row.errors.append(_entry(row.number, "phone", _("No worker with this mobile number is registered.")))
            elif (fair, vacancy, worker) in known:
                row.errors.append(_entry(row.number, "phone", _("This hire is recorded already.")))
            else:
                self.duplicate(row, (fair, vacancy, worker), "phone", same, False)
                continue
            row.cleaned = None

    @staticmethod
    def create(rows: list[FileRow], by, progress) -> tuple[int, list]:
        """Hires fill places, in the file's order: a hire beyond the vacancy's positions or its contract's
        quota is refused, as one hire through an application would be (`candidates.services.places_left`)."""
        places = candidate_services.places_left({row.cleaned["vacancy"] for row in rows if row.cleaned["result"]})
        kept, refused = [], []
        for row in rows:
            if row.cleaned["result"]:
                try:
                    places.take(row.cleaned["vacancy"])
                except ValidationError as error:
                    refused += [_entry(row.number, "vacancy", message) for message in error.messages]
                    continue
            kept.append(row.cleaned)
        created = fair_services.outcomes_record(rows=kept, by=by)
        progress(created)
        return created, refused


IMPORTERS[Kind.RETURNS] = ReturnImporter
IMPORTERS[Kind.PLACEMENTS] = PlacementImporter
