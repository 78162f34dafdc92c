"""The dashboard's tables as files: XLSX (XlsxWriter) and CSV, with the numbers the page shows.

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
from datetime import date

import xlsxwriter
from django.utils.translation import gettext as _

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
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
        int: book.add_format({"num_format": "#,##0"}),
        float: book.add_format({"num_format": "#,##0.0#"}),
        date: book.add_format({"num_format": "dd/mm/yyyy", "align": "left"}),
    }
    used = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table, used))
        sheet.write_string(0, 0, neutralised(str(table.title)), formats["title"])
        sheet.write(1, 0, _("Figures as of"))
        sheet.write_datetime(1, 1, period.as_of, formats[date])
        for column, header in enumerate(table.headers):
            sheet.write_string(3, column, neutralised(str(header)), formats["header"])
        for number, row in enumerate(table.rows, start=4):
            for column, cell in enumerate(row):
                if cell is None:
                    continue
                if isinstance(cell, (int, float)):
                    sheet.write_number(number, column, cell, formats[type(cell)])
                else:
                    sheet.write_string(number, column, neutralised(str(cell)))
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, len(table.headers), 16)
        sheet.freeze_panes(4, 1)
    book.close()
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
