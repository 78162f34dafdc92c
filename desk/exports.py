"""The dashboard's tables as files: XLSX (openpyxl, the one Excel library: it reads the uploads too) and
CSV, with the numbers the page shows.

XLSX number formats are written in Excel's neutral notation ("#,##0", "0.0#") and each copy of Excel
or LibreOffice shows them with its own separators: on a Vietnamese system 12.000 and 72,66. Writing
"#.##0" literally would make Excel read the dot as a decimal point. Cells stay numbers, so officers
can add them up. CSV is UTF-8 with a byte-order mark (without it Excel reads Vietnamese as Latin-1),
counts without grouping, percentages with a decimal comma: what Excel set to Vietnamese reads as
numbers.

Every text cell of every file goes through `neutralised` (OWASP's CSV injection advice): text that a
spreadsheet would read as a formula (= + - @, or a tab or carriage return before one) is written with an
apostrophe in front, so "=HYPERLINK(…)" typed into an uploaded header or a vacancy title shows as text.
Numbers stay numbers.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from desk.statistics import Period, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def workbook(tables: list[Table], period: Period) -> bytes:
    """One sheet per table: its title, the day the figures are as of, the headers, the rows."""
    book = Workbook()
    book.remove(book.active)
    title, header = Font(bold=True, size=13), Font(bold=True)
    header_alignment, header_border = Alignment(wrap_text=True, vertical="top"), Border(bottom=Side("thin"))
    number_formats = {int: "#,##0", float: "#,##0.0#"}
    used = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table, used))
        sheet.cell(1, 1, neutralised(str(table.title))).font = title
        sheet.cell(2, 1, _("Figures as of"))
        as_of = sheet.cell(2, 2, period.as_of)
        as_of.number_format, as_of.alignment = "dd/mm/yyyy", Alignment(horizontal="left")
        for column, text in enumerate(table.headers, start=1):
            cell = sheet.cell(4, column, neutralised(str(text)))
            cell.font, cell.alignment, cell.border = header, header_alignment, header_border
        for number, row in enumerate(table.rows, start=5):
            for column, value in enumerate(row, start=1):
                if value is None:
                    continue
                if isinstance(value, (int, float)):
                    sheet.cell(number, column, value).number_format = number_formats[type(value)]
                else:
                    sheet.cell(number, column, neutralised(str(value)))
        sheet.column_dimensions["A"].width = 42
        for column in range(2, len(table.headers) + 2):
            sheet.column_dimensions[get_column_letter(column)].width = 16
        sheet.freeze_panes = "B5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(table: Table, used: set) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name, each name once."""
    name = str(table.title).translate(FORBIDDEN_IN_SHEET_NAMES)[:31].strip()
    while name.lower() in used:
        name = f"{name[:28]} {len(used)}"
    used.add(name.lower())
    return name


def csv_file(table: Table) -> bytes:
    return csv_bytes(table.headers, table.rows)


def csv_bytes(header: list, rows) -> bytes:
    """A CSV file as Excel opens it in Vietnamese: UTF-8 with a byte-order mark, which tells Excel so. Every
    file the portal writes as CSV is written here."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_csv_cell(cell) for cell in header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(cell).replace(".", ",")
    if isinstance(cell, int):
        return str(cell)
    return neutralised(str(cell))
