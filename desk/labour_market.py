"""Labour-market information for anyone: open vacancies, their positions and advertised wages, and the
workers who can be found against them. The public page and the monthly workbook show these tables.

What counts
- A vacancy is open on a day when its last review event by that day's end published it and its deadline
  is that day or later (`Vacancy.objects.open_on`). Each month's figures are the stock on its last day.
- Its advertised wage is the middle of its monthly range in đồng; a cell's median is over its vacancies,
  each once whatever its positions (PostgreSQL's exact `percentile_cont`).
- A worker is findable on a day when a consent to be found was in force at its end
  (`WorkerProfile.objects.findable_on`); their commune and desired occupations are as they are today.

Small cells: the placement statistics' rule, `desk.statistics.suppressed`, unchanged. The counted unit is
the vacancy in the demand tables (a hidden count hides its positions and median wage too) and the worker
in the supply tables; a month's stock is compared with the month before's, as the year-to-date placements
are. The rule hides cells of one table that partitions a total; here two levels of a hierarchy are
published (ISCO-08 groups over occupations, pre-2025 districts over communes, each commune in exactly one
old district), so the finer table is suppressed within each coarser cell, against that cell as its total,
and every finer cell under a hidden coarser cell is hidden. Then no hidden cell is a shown total minus
shown cells.

Why SQL on PostgreSQL, not aggregations over the vacancies index: the index holds what is visible today,
while a month's stock needs the history (review events), and the supply side is consents, also only in
PostgreSQL. And the rule needs exact figures: Elasticsearch's `terms` counts can be approximate across
shards and its `percentiles` is a t-digest estimate, so a 4 could be published as 5, or a median be off.
One GROUP BY per table is exact and fast enough for a figure cached for an hour.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Aggregate, Count, F, FloatField, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from candidates.models import WorkerProfile
from desk.statistics import BY_NAME, CACHE_SECONDS, NONE_KEY, Dimension, Period, Row, Table, breakdown, suppressed
from jobs.models import Commune, Vacancy

HIDDEN = "x"  # a suppressed cell, as statistical offices mark it; the page's note explains it


class Median(Aggregate):
    """PostgreSQL's exact median, which Django does not name."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


WAGE = (F("salary_min_vnd") + F("salary_max_vnd")) / 2.0
VACANCY_MEASURES = {"positions": Sum("positions"), "wage": Median(WAGE)}
ABROAD = _("abroad (no commune)")
DEMAND = {  # coarser before finer: a finer table is suppressed within the coarser one's cells
    "isco": BY_NAME["isco"],
    "occupation": BY_NAME["occupation"],
    "old_district": replace(BY_NAME["old_district"], none_label=ABROAD),
    "commune": replace(BY_NAME["commune"], none_label=ABROAD),
    "country": BY_NAME["country"],
}
WITHIN = {"occupation": ("isco", lambda key: key[:1]), "commune": ("old_district", None)}  # None: look it up
SUPPLY = {
    "occupation": Dimension(
        "occupation",
        _("By occupation"),
        _("Occupation"),
        "desired_occupations__code",
        label="desired_occupations__name_vi",
        none_label=_("no occupation given"),
    ),
    "commune": BY_NAME["commune"],
}


def month_end(year: int, month: int) -> date:
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass
class Cells:
    """One breakdown as published: its rows (this month's, and last month's now at 0) and which are hidden."""

    rows: list[Row]
    hidden: set[int]

    def by_key(self) -> dict[str, tuple[Row, bool]]:
        return {row.key: (row, i in self.hidden) for i, row in enumerate(self.rows)}


def _with_change(dimension: Dimension, now: QuerySet, before: QuerySet, **measures) -> tuple[list[Row], list[int]]:
    rows = breakdown(dimension, now, **measures)
    previous = {row.key: row for row in breakdown(dimension, before)}
    rows += [Row(key, row.label, 0) for key, row in previous.items() if key not in {r.key for r in rows}]
    return rows, [row.count - (previous[row.key].count if row.key in previous else 0) for row in rows]


def _suppress(rows, changes, total: int, total_change: int) -> set[int]:
    return suppressed([row.count for row in rows], total, changes=changes, total_change=total_change)


def _total_hidden(total: int, change: int) -> bool:
    return bool(suppressed([total], total, changes=[change], total_change=change))


def _within(rows, changes, parents: Cells, parent_changes: dict, parent_of) -> set[int]:
    """Suppress a finer table inside each cell of the coarser one (see the module's docstring)."""
    parent = parents.by_key()
    hidden = set()
    for key, (row, parent_hidden) in parent.items():
        members = [i for i, child in enumerate(rows) if parent_of(child.key) == key]
        if parent_hidden:
            hidden.update(members)
            continue
        inside = _suppress([rows[i] for i in members], [changes[i] for i in members], row.count, parent_changes[key])
        hidden.update(members[j] for j in inside)
    return hidden


def demand(day: date, before: date) -> dict[str, Cells]:
    """Open vacancies on `day` by each dimension, suppressed against the stock on `before` (the month
    before): two queries per dimension."""
    now, earlier = Vacancy.objects.open_on(day), Vacancy.objects.open_on(before)
    total, total_before = now.count(), earlier.count()
    district_of = dict(Commune.objects.values_list("code", "old_districts__code")) | {NONE_KEY: NONE_KEY}
    published, changes = {}, {}
    for name, dimension in DEMAND.items():
        rows, change = _with_change(dimension, now, earlier, **VACANCY_MEASURES)
        if name in WITHIN:
            parent, parent_of = WITHIN[name]
            by_parent = dict(zip([r.key for r in published[parent].rows], changes[parent], strict=True))
            hidden = _within(rows, change, published[parent], by_parent, parent_of or district_of.get)
        else:
            hidden = _suppress(rows, change, total, total - total_before)
        published[name], changes[name] = Cells(rows, hidden), change
    return published


def supply(day: date, before: date) -> dict[str, Cells]:
    """Findable workers on `day` by occupation wanted (a worker may want several) and commune."""
    now, earlier = WorkerProfile.objects.findable_on(day), WorkerProfile.objects.findable_on(before)
    total, total_change = now.count(), now.count() - earlier.count()
    published = {}
    for name, dimension in SUPPLY.items():
        rows, change = _with_change(dimension, now, earlier)
        published[name] = Cells(rows, _suppress(rows, change, total, total_change))
    return published


def _shown(value, hidden: bool):
    return HIDDEN if hidden else value


def _wage(row: Row):
    wage = row.measures.get("wage")
    return round(wage) if wage is not None else None


def _order(name: str, row: Row):
    """Codes for occupations, names for places: never by count, which would rank hidden cells."""
    return (row.key == NONE_KEY, row.key if name in ("isco", "occupation") else row.label)


def _demand_table(name: str, cells: Cells, month: str) -> Table:
    dimension = DEMAND[name]
    headers = [dimension.heading, _("Open vacancies"), _("Positions"), _("Median advertised wage (đồng/month)")]
    rows = [
        [row.label, *(_shown(v, i in cells.hidden) for v in (row.count, row.measures.get("positions", 0), _wage(row)))]
        for i, row in sorted(enumerate(cells.rows), key=lambda item: _order(name, item[1]))
    ]
    title = _("Open vacancies at the end of %(month)s — %(breakdown)s") % {"month": month, "breakdown": dimension.title}
    return Table(f"lmi_{name}", title, headers, rows, empty=_("No open vacancy at the month's end."))


def _supply_table(name: str, workers: Cells, vacancies: Cells, month: str) -> Table:
    """Findable workers beside open positions, by the same keys; a ratio only where both are shown."""
    dimension = SUPPLY[name]
    demand_rows = vacancies.by_key()
    rows = []
    for key, (row, hidden) in workers.by_key().items():
        vacancy, vacancy_hidden = demand_rows.pop(key, (None, False))
        positions = vacancy.measures.get("positions", 0) if vacancy else 0
        ratio = round(positions / row.count, 2) if row.count and not (hidden or vacancy_hidden) else None
        rows.append([row.label, _shown(row.count, hidden), _shown(positions, vacancy_hidden), ratio])
    for vacancy, vacancy_hidden in demand_rows.values():
        if vacancy.key != NONE_KEY:  # abroad: no commune, and no worker asks for "no occupation"
            rows.append([vacancy.label, 0, _shown(vacancy.measures.get("positions", 0), vacancy_hidden), None])
    rows.sort(key=lambda cells: cells[0])
    headers = [dimension.heading, _("Findable workers"), _("Open positions"), _("Open positions per findable worker")]
    title = _("Findable workers and open positions at the end of %(month)s — %(breakdown)s") % {
        "month": month,
        "breakdown": dimension.title,
    }
    return Table(f"lmi_supply_{name}", title, headers, rows, empty=_("No figure for this month."))


def months_table(year: int, last_month: int) -> Table:
    """Month by month: each month's stocks on its last day, totals suppressed by the same rule."""
    rows = []
    previous_day = date(year, 1, 1) - timedelta(days=1)
    previous = (Vacancy.objects.open_on(previous_day).count(), WorkerProfile.objects.findable_on(previous_day).count())
    for month in range(1, last_month + 1):
        day = month_end(year, month)
        figures = Vacancy.objects.open_on(day).aggregate(n=Count("id"), **VACANCY_MEASURES)
        workers = WorkerProfile.objects.findable_on(day).count()
        vacancies_hidden = _total_hidden(figures["n"], figures["n"] - previous[0])
        workers_hidden = _total_hidden(workers, workers - previous[1])
        wage = round(figures["wage"]) if figures["wage"] is not None else None
        rows.append(
            [
                f"{month:02d}/{year}",
                *(_shown(v, vacancies_hidden) for v in (figures["n"], figures["positions"] or 0, wage)),
                _shown(workers, workers_hidden),
            ]
        )
        previous = (figures["n"], workers)
    headers = [
        _("Month"),
        _("Open vacancies"),
        _("Positions"),
        _("Median advertised wage (đồng/month)"),
        _("Findable workers"),
    ]
    title = _("Labour market month by month (stocks on each month's last day)")
    return Table("lmi_months", title, headers, rows)


def tables(period: Period) -> list[Table]:
    """Every labour-market table of the month `period.as_of` falls in: the page's and the workbook's."""
    day = month_end(period.as_of.year, period.as_of.month)
    before = day.replace(day=1) - timedelta(days=1)
    month = f"{day.month:02d}/{day.year}"
    vacancies, workers = demand(day, before), supply(day, before)
    return [
        months_table(day.year, day.month),
        *(_demand_table(name, vacancies[name], month) for name in DEMAND),
        *(_supply_table(name, workers[name], vacancies[name], month) for name in SUPPLY),
    ]


def last_published_month():
    """The month the public figures reach: the last complete one (they stand still within a month)."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


def published_tables(period: Period) -> list[Table]:
    """The tables of a month, cached (the page, its workbook and the API answer the same)."""
    key = f"statistics:labour-market:{period.as_of.isoformat()}:{get_language()}"  # labels are translated
    found = cache.get(key)
    if found is None:
        found = tables(period)
        cache.set(key, found, CACHE_SECONDS)
    return found
