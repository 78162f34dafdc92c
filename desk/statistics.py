"""Every counting rule of the department's figures, once: the dashboard, its exports, the monthly
workbook and the public statistics all read these selectors.

- What counts: `Placement.objects.counted()` (confirmed; a withdrawn placement is no longer
  confirmed), dated from 1 January to the day the figures are "as of", each placement once.
- The projection to the year's end is a linear run-rate: the count so far ÷ the days elapsed
  (1 January to the as-of day, both included) × the days in the year. A finished year projects to
  its count; a year not yet begun projects to nothing.
- Every breakdown is one SQL aggregate (`values().annotate(Count)`), never a query per row.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Count, DateField, Exists, F, Func, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, Left
from django.utils.translation import gettext_lazy as _

from candidates.models import AGE_BANDS as WORKER_AGE_BANDS
from candidates.models import Certificate, Placement, PriorityGroup, Sex, WorkerProfile, age_band
from desk.models import Case as Report
from desk.models import Target
from fairs.models import Fair
from training.models import CourseLevel, Enrolment

# ISCO-08 major groups, which VSCO 2020 shares (the first digit of every occupation code).
ISCO_MAJOR_GROUPS = {
    "0": _("Armed forces occupations"),
    "1": _("Managers"),
    "2": _("Professionals"),
    "3": _("Technicians and associate professionals"),
    "4": _("Clerical support workers"),
    "5": _("Service and sales workers"),
    "6": _("Skilled agricultural, forestry and fishery workers"),
    "7": _("Craft and related trades workers"),
    "8": _("Plant and machine operators and assemblers"),
    "9": _("Elementary occupations"),
}
AGE_BANDS = [age_band(low) for low, _high in WORKER_AGE_BANDS] + [age_band(55)]  # as placements record them
MEASURED = {Target.Indicator.NEW_JOBS, Target.Indicator.NEW_JOBS_ABROAD}  # the portal counts these two
SHORT_LABELS = {Target.Indicator.NEW_JOBS: _("all new jobs"), Target.Indicator.NEW_JOBS_ABROAD: _("abroad")}


@dataclass(frozen=True)
class Period:
    """1 January of `year` to `as_of` (clamped to the year): what "year to date" means."""

    year: int
    as_of: date

    @classmethod
    def of(cls, year: int, *, today: date) -> "Period":
        """The year to today; a past year whole; a future year not yet begun."""
        return cls(year, min(today, date(year, 12, 31)))

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def days_elapsed(self) -> int:
        return max(0, (self.as_of - self.start).days + 1)

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def complete(self) -> bool:
        return self.as_of >= date(self.year, 12, 31)


def counted(period: Period) -> QuerySet:
    """The placements that count in the period: the one rule, used by every figure."""
    return Placement.objects.counted().filter(placed_on__gte=period.start, placed_on__lte=period.as_of)


def year_summary(year: int) -> dict:
    """A whole year's counted placements, at home and abroad (the officers' `/api/v1/placements/summary`)."""
    counts = counted(Period(year, date(year, 12, 31))).aggregate(
        total=Count("id"), abroad=Count("id", filter=Q(is_abroad=True))
    )
    return {"year": year, **counts, "at_home": counts["total"] - counts["abroad"]}


def projection(count: int, period: Period) -> int | None:
    """Linear run-rate to 31 December (see the module's docstring)."""
    if period.complete:
        return count
    if period.days_elapsed == 0:
        return None
    return round(count * period.days_in_year / period.days_elapsed)


def share(part, whole) -> float | None:
    """`part` as a percentage of `whole`, to one decimal; nothing when there is no whole."""
    if part is None or not whole:
        return None
    return round(float(part) * 100 / float(whole), 1)


# --- Breakdowns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """One way of cutting the placements: its grouping key, its labels, and the filter that lists the
    placements behind one of its figures (the same key, so a figure and its list always agree)."""

    name: str  # also the list page's query parameter
    title: str
    heading: str  # the first column's header
    key: object  # a field path or an expression, grouped by in SQL
    label: str = ""  # a field path giving each key's name...
    labels: dict = field(default_factory=dict)  # ...or fixed names
    none_label: str = ""
    by_key: bool = False  # rows in the order of `labels` instead of by count

    def q(self, value: str) -> Q:
        if self.labels and value not in self.labels:
            raise ValueError(value)
        if self.name == "abroad":
            return Q(is_abroad=value == "abroad")
        if self.name == "isco":
            return Q(occupation__code__startswith=value)
        if self.name == "priority_group":
            return Q(priority_groups__contains=[value])
        return Q(**{f"{self.key}__isnull": True}) if value == NONE_KEY else Q(**{self.key: value})


NONE_KEY = "none"  # the list parameter for "no country", "no programme"

DIMENSIONS = [
    Dimension(
        "abroad",
        _("At home and abroad"),
        _("Where"),
        Case(When(is_abroad=True, then=Value("abroad")), default=Value("home")),
        labels={"home": _("at home"), "abroad": _("abroad")},
        by_key=True,
    ),
    Dimension("commune", _("By commune (2025 units)"), _("Commune"), "commune__code", label="commune__name"),
    Dimension(
        "old_district",
        _("By pre-2025 district, for plans made before 2025"),
        _("District (before 2025)"),
        "commune__old_districts__code",
        label="commune__old_districts__name",
    ),
    Dimension(
        "isco",
        _("By occupation group (ISCO-08 major group)"),
        _("Occupation group"),
        Left("occupation__code", 1),
        labels=ISCO_MAJOR_GROUPS,
    ),
    Dimension("occupation", _("By occupation"), _("Occupation"), "occupation__code", label="occupation__name_vi"),
    Dimension(
        "country",
        _("By destination country"),
        _("Country"),
        "country__code",
        label="country__name_vi",
        none_label=_("none (at home)"),
    ),
    Dimension(
        "programme",
        _("By programme abroad"),
        _("Programme"),
        "programme__code",
        label="programme__name_vi",
        none_label=_("none"),
    ),
    Dimension("sex", _("By sex"), _("Sex"), "sex", labels=dict(Sex.choices), by_key=True),
    Dimension("age_band", _("By age band"), _("Age"), "age_band", labels={b: b for b in AGE_BANDS}, by_key=True),
    Dimension(
        "priority_group",
        _("By priority group (a worker may be in more than one)"),
        _("Priority group"),
        None,
        labels=dict(PriorityGroup.choices),
        by_key=True,
    ),
]
BY_NAME = {dimension.name: dimension for dimension in DIMENSIONS}


@dataclass
class Row:
    key: str
    label: str
    count: int
    measures: dict = field(default_factory=dict)  # more aggregates of the row, by name (see `breakdown`)


def breakdown(dimension: Dimension, placements: QuerySet, **measures) -> list[Row]:
    """One aggregate query; `measures` are more aggregates per row (the labour-market tables' positions and
    median wage), each row's in `Row.measures`. Priority groups overlap (a worker may be in two), so they are counted
    one filtered count per group, from the placement's own record of them: a placement keeps its
    groups as they were, so the counts survive a worker's erasure and need no decryption."""
    if dimension.name == "priority_group":
        counts = placements.aggregate(
            **{group: Count("id", filter=Q(priority_groups__contains=[group])) for group in dimension.labels}
        )
        return [Row(group, str(label), counts[group]) for group, label in dimension.labels.items() if counts[group]]
    key = F(dimension.key) if isinstance(dimension.key, str) else dimension.key
    names = {"name": F(dimension.label)} if dimension.label else {}
    rows = []
    grouped = placements.values(k=key, **names).annotate(n=Count("id", distinct=True), **measures).order_by()
    for item in grouped:
        more = {name: item[name] for name in measures}
        if item["k"] is None:
            rows.append(Row(NONE_KEY, str(dimension.none_label), item["n"], more))
        else:
            label = item["name"] if dimension.label else dimension.labels.get(str(item["k"]), item["k"])
            rows.append(Row(str(item["k"]), str(label), item["n"], more))
    if dimension.by_key:
        order = list(dimension.labels)
        return sorted(rows, key=lambda row: order.index(row.key) if row.key in order else len(order))
    return sorted(rows, key=lambda row: (-row.count, row.label))


def side_by_side(dimension: Dimension, first: QuerySet, second: QuerySet) -> list[tuple[str, int, int]]:
    """Two breakdowns by one dimension as one table (enrolled and completed, departures and returns): each
    key of either once as (label, first count, second count), 0 where one has none; the first's rows in
    their order, then the keys only the second has, in its order. One query each."""
    later = {row.key: row for row in breakdown(dimension, second)}
    pairs = [
        (row.label, row.count, later.pop(row.key).count if row.key in later else 0)
        for row in breakdown(dimension, first)
    ]
    return pairs + [(row.label, 0, row.count) for row in later.values()]


def placements_behind(period: Period, params) -> QuerySet:
    """The placements behind a figure: the period's counted placements, filtered by the dimensions
    named in `params` (a QueryDict or dict). Raises ValueError on a value no figure could carry."""
    placements = counted(period)
    for name, dimension in BY_NAME.items():
        if params.get(name):
            placements = placements.filter(dimension.q(params[name]))
    month = params.get("month")
    if month:
        if not (month.isdigit() and 1 <= int(month) <= 12):
            raise ValueError(month)
        placements = placements.filter(placed_on__month=int(month))
    return placements


# --- Targets and progress -----------------------------------------------------------------------


def targets_of(year: int) -> tuple[dict[str, Decimal], dict[str, tuple[str, Decimal]]]:
    """The year's targets in one query: the province's by indicator, and each commune's new-jobs
    target by commune code, with the commune's name."""
    province, communes = {}, {}
    rows = Target.objects.filter(year=year).values_list("indicator", "commune__code", "commune__name", "value")
    for indicator, code, name, value in rows:
        if code is None:
            province[indicator] = value
        elif indicator == Target.Indicator.NEW_JOBS:
            communes[code] = (name, value)
    return province, communes


def plain(value: Decimal | None):
    """A target as people write it: 12000, not 12000.00; 72.66 stays."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class Progress:
    indicator: str
    label: str
    target: object
    so_far: int | None
    reached: float | None
    projected: int | None
    projected_share: float | None


def progress(period: Period, months: list[dict], targets: dict, enrolled: dict | None = None) -> list[Progress]:
    """Each target against what the period counted: new jobs from placements, enrolment from the portal's
    enrolments (`enrolled`, by indicator); the trained-labour rates come from the labour survey."""
    so_far = {
        Target.Indicator.NEW_JOBS: sum(month["total"] for month in months),
        Target.Indicator.NEW_JOBS_ABROAD: sum(month["abroad"] for month in months),
        **(enrolled or {}),
    }
    rows = []
    for indicator in Target.Indicator:
        target = plain(targets.get(indicator))
        count = so_far.get(indicator)
        projected = projection(count, period) if count is not None else None
        rows.append(
            Progress(
                indicator.value,
                str(indicator.label),
                target,
                count,
                share(count, target),
                projected,
                share(projected, target),
            )
        )
    return rows


def monthly(period: Period) -> list[dict]:
    """Each month from January to the as-of month: new jobs, of them abroad, and the running total."""
    grouped = (
        counted(period)
        .annotate(month=ExtractMonth("placed_on"))
        .values("month")
        .annotate(total=Count("id"), abroad=Count("id", filter=Q(is_abroad=True)))
        .order_by()
    )
    by_month = {item["month"]: item for item in grouped}
    last = period.as_of.month if period.as_of >= period.start else 0
    months, running = [], 0
    for month in range(1, last + 1):
        item = by_month.get(month, {"total": 0, "abroad": 0})
        running += item["total"]
        months.append({"month": month, "total": item["total"], "abroad": item["abroad"], "cumulative": running})
    return months


def public_period(year: int, *, today: date) -> Period:
    """A past year whole; this year to the last day of the last complete month, so public figures
    stand still within a month (a day-by-day series would let anyone subtract one day from the next)."""
    return Period(year, min(today.replace(day=1) - timedelta(days=1), date(year, 12, 31)))


# --- The dashboard as tables: the page, the exports and the monthly workbook show these -------------


@dataclass
class Table:
    name: str  # in file names and export addresses
    title: str
    headers: list
    rows: list[list]  # cells: text, int (people), float (percent), None (not measured)
    links: list[dict | None] | None = None  # the list parameters behind each row's figures; None: no links
    empty: str = ""  # what an empty table says, when not "no confirmed placement yet"

    def lines(self):
        return zip(self.rows, self.links or [None] * len(self.rows), strict=True)

    @property
    def figure_column(self) -> int:
        """The column whose figures link to the placements behind them."""
        return 1 if self.name != "targets" else 2


@dataclass
class Dashboard:
    period: Period
    progress: list[Progress]
    months: list[dict]
    tables: list[Table]

    @property
    def headline(self) -> list[Progress]:
        return [row for row in self.progress if row.indicator in MEASURED]

    def table(self, name: str) -> Table:
        return next(table for table in self.tables if table.name == name)


def dashboard(period: Period) -> Dashboard:
    """Every figure of the year to `period.as_of`: 1 query for the targets, 1 for the months (which
    also give the totals), 1 per breakdown. Nothing is decrypted: ethnic minorities are counted as a
    priority group, from the placement's own record."""
    targets, commune_targets = targets_of(period.year)
    months = monthly(period)
    by_level = training_levels(period)
    reached = progress(period, months, targets, enrolled=by_level["enrolled"])
    total = sum(month["total"] for month in months)
    placements = counted(period)
    tables = [_targets_table(reached), _months_table(period, months, targets)]
    for dimension in DIMENSIONS:
        rows = breakdown(dimension, placements)
        if dimension.name == "commune" and commune_targets:
            tables.append(_commune_table(rows, total, commune_targets))
        else:
            tables.append(_dimension_table(dimension, rows, total))
    tables += training_tables(period, by_level, targets)
    tables += abroad_tables(period)
    tables.append(fairs_table(period))
    return Dashboard(period, reached, months, tables)


def _targets_table(rows: list[Progress]) -> Table:
    headers = [
        _("Indicator"),
        _("Target"),
        _("Year to date"),
        _("Reached (%)"),
        _("Projection to 31 December"),
        _("Projected (%)"),
    ]
    cells = [[r.label, r.target, r.so_far, r.reached, r.projected, r.projected_share] for r in rows]
    links = [({"abroad": "abroad"} if r.indicator == Target.Indicator.NEW_JOBS_ABROAD else {}) for r in rows]
    links = [link if r.indicator in MEASURED else None for link, r in zip(links, rows, strict=True)]
    return Table("targets", _("Targets and progress"), headers, cells, links)


def _months_table(period: Period, months: list[dict], targets: dict) -> Table:
    target = plain(targets.get(Target.Indicator.NEW_JOBS))
    headers = [_("Month"), _("New jobs"), _("Of them abroad"), _("Running total"), _("Of the yearly target (%)")]
    cells = [
        [f"{m['month']:02d}/{period.year}", m["total"], m["abroad"], m["cumulative"], share(m["cumulative"], target)]
        for m in months
    ]
    return Table("months", _("Month by month"), headers, cells, [{"month": str(m["month"])} for m in months])


def _dimension_table(dimension: Dimension, rows: list[Row], total: int) -> Table:
    headers = [dimension.heading, _("New jobs"), _("Share of all new jobs (%)")]
    cells = [[row.label, row.count, share(row.count, total)] for row in rows]
    return Table(dimension.name, dimension.title, headers, cells, [{dimension.name: row.key} for row in rows])


def _commune_table(rows: list[Row], total: int, targets: dict[str, tuple[str, Decimal]]) -> Table:
    """Communes with targets of their own: each against its target; a commune with a target and no
    placement yet is listed with 0."""
    listed = {row.key for row in rows}
    rows = rows + [Row(code, name, 0) for code, (name, _value) in targets.items() if code not in listed]
    table = _dimension_table(BY_NAME["commune"], rows, total)
    table.headers += [_("Target"), _("Reached (%)")]
    for cells, row in zip(table.rows, rows, strict=True):
        target = plain(targets[row.key][1]) if row.key in targets else None
        cells += [target, share(row.count, target)]
    return table


def chart_data(board: Dashboard) -> dict:
    """What dashboard.js draws; the tables on the page carry the same numbers."""
    new_jobs = next(row for row in board.progress if row.indicator == Target.Indicator.NEW_JOBS)
    period = board.period
    pace = []  # where the target says the year should be at each month's end
    for month in board.months:
        month_end = date(period.year, month["month"], calendar.monthrange(period.year, month["month"])[1])
        day = (min(month_end, period.as_of) - period.start).days + 1
        pace.append(round(new_jobs.target * day / period.days_in_year) if new_jobs.target else None)
    communes = board.table("commune")
    return {
        "months": [row[0] for row in board.table("months").rows],
        "total": [month["total"] for month in board.months],
        "abroad": [month["abroad"] for month in board.months],
        "cumulative": [month["cumulative"] for month in board.months],
        "pace": pace,
        "progress": [
            {"label": str(SHORT_LABELS[row.indicator]), "reached": row.reached, "projected": row.projected_share}
            for row in board.headline
        ],
        "communes": {"labels": [row[0] for row in communes.rows], "counts": [row[1] for row in communes.rows]},
        "labels": {
            "pace": _("the target's pace"),
            "reached": _("reached so far (%)"),
            "projected": _("projected to 31 December (%)"),
        },
    }


# --- Publishing: the small-cell rule ---------------------------------------------------------------

SMALL_CELL = 5  # no published figure counts fewer than 5 people
CACHE_SECONDS = 60 * 60  # the figures stand still within a month; an hour bounds a late confirmation's delay
# One level of each hierarchy, and no priority groups (officers only). A coarser table beside a finer one
# gives a hidden cell away: occupations 7112 = 100 shown, 7212 = 3 hidden, and ISCO group 7 = 103 says
# 7212 = 3. So no ISCO major groups over occupations, no pre-2025 districts over communes, and no
# "at home / abroad" over countries (the country table's "none (at home)" row is the home figure).
PUBLIC_DIMENSIONS = [
    d for d in DIMENSIONS if d.name in {"commune", "occupation", "country", "programme", "sex", "age_band"}
]


def suppressed(counts: list[int], total: int, *, changes: list[int], total_change: int) -> set[int]:
    """Which cells of a table to hide. `changes` are each cell's change since the previous month's
    published table, `total_change` the total's.

    Every published table is a partition of the same total (each placement in exactly one row), so
    the hidden cells add up to the total minus the shown ones, and their changes to the total's change
    minus the shown changes. Hence: hide every cell of 1 to 4 people, and every cell that changed by 1
    to 4 people since last month (up or down); then, while the hidden cells are a single cell, add up
    to fewer than 5 people, or changed by 1 to 4 people together, also hide the smallest cell still
    shown. A total under 5, or one that changed by 1 to 4, is hidden itself, and every cell with it.
    """
    if 0 < total < SMALL_CELL or 0 < abs(total_change) < SMALL_CELL:
        return set(range(len(counts)))
    hidden = {i for i, n in enumerate(counts) if 0 < n < SMALL_CELL or 0 < abs(changes[i]) < SMALL_CELL}
    shown = sorted(set(range(len(counts))) - hidden, key=lambda i: counts[i])

    def gives_away() -> bool:
        return (
            len(hidden) == 1
            or sum(counts[i] for i in hidden) < SMALL_CELL
            or 0 < abs(sum(changes[i] for i in hidden)) < SMALL_CELL
        )

    while hidden and shown and gives_away():
        hidden.add(shown.pop(0))
    return hidden


def month_before(period: Period) -> Period | None:
    """The figures published a month earlier (to the end of the month before `as_of`); none in January."""
    first = period.as_of.replace(day=1)
    return Period(period.year, first - timedelta(days=1)) if first > period.start else None


def published(period: Period, *, count=counted, dimensions=PUBLIC_DIMENSIONS) -> dict:
    """Anonymous counts for anyone: the total and each public breakdown, small cells hidden, and small
    changes since the month before hidden too (subtracting last month's year-to-date figures from
    this month's would otherwise count the people placed in one month). `count` gives what is counted in
    a period: placements by default, or enrolments (`enrolments_counted`, with PUBLIC_TRAINING_DIMENSIONS)."""
    before = month_before(period)
    placements = count(period)
    earlier = count(before) if before else placements.none()
    total = placements.count()
    total_change = total - earlier.count()
    tables = {}
    for dimension in dimensions:
        rows = breakdown(dimension, placements)
        previous = {row.key: row.count for row in breakdown(dimension, earlier)}
        changes = [row.count - previous.get(row.key, 0) for row in rows]
        hidden = suppressed([row.count for row in rows], total, changes=changes, total_change=total_change)
        tables[dimension.name] = [
            {"key": r.key, "label": r.label, "count": None if i in hidden else r.count, "suppressed": i in hidden}
            for i, r in enumerate(rows)
        ]
    total_hidden = 0 < total < SMALL_CELL or 0 < abs(total_change) < SMALL_CELL
    return {"total": {"count": None if total_hidden else total, "suppressed": total_hidden}, "tables": tables}


# --- Vocational training: enrolments and completions (training/) -------------------------------------
#
# An enrolment counts when the institution accepted it (`Enrolment.objects.counted()`), dated by the day
# it did; a completion when the institution recorded a pass, dated by the day of completion. Each keeps
# what the tables cut by as it was on the day, like a placement, so every Dimension above applies to it
# unchanged (commune, pre-2025 district, occupation, sex, age band, priority group), through the same
# `breakdown`. The plan's trained-labour rate (72,66 %) and share with a degree or certificate (33 %) are
# measured by the labour-force survey over the whole working-age population; the portal can only show
# the same shares among the workers registered on it: a proxy, labelled so wherever it is shown.

TRAINING_LEVEL_TARGETS = {  # the plan counts elementary and courses under three months together
    CourseLevel.COLLEGE: Target.Indicator.ENROLMENT_COLLEGE,
    CourseLevel.INTERMEDIATE: Target.Indicator.ENROLMENT_INTERMEDIATE,
    CourseLevel.ELEMENTARY: Target.Indicator.ENROLMENT_ELEMENTARY,
    CourseLevel.SHORT_COURSE: Target.Indicator.ENROLMENT_ELEMENTARY,
}
LEVEL = Dimension("level", _("By level"), _("Level"), "level", labels=dict(CourseLevel.choices), by_key=True)
TRAINING_DIMENSIONS = [LEVEL] + [
    BY_NAME[name] for name in ("commune", "old_district", "occupation", "sex", "age_band", "priority_group")
]
PUBLIC_TRAINING_DIMENSIONS = [
    d for d in TRAINING_DIMENSIONS if d.name in {"commune", "occupation", "level", "sex", "age_band"}
]


NO_ENROLMENT = _("No accepted enrolment yet.")


def enrolments_counted(period: Period) -> QuerySet:
    """The enrolments that count in the period: accepted from 1 January to the as-of day, each once."""
    return Enrolment.objects.counted().filter(accepted_on__gte=period.start, accepted_on__lte=period.as_of)


def completions_counted(period: Period) -> QuerySet:
    return Enrolment.objects.completed().filter(completed_on__gte=period.start, completed_on__lte=period.as_of)


def training_levels(period: Period) -> dict:
    """Enrolments and completions by level (one query each), and enrolments by target indicator."""
    enrolled = {row.key: row.count for row in breakdown(LEVEL, enrolments_counted(period))}
    completed = {row.key: row.count for row in breakdown(LEVEL, completions_counted(period))}
    by_indicator = {Target.Indicator.ENROLMENT: sum(enrolled.values())}
    for level, indicator in TRAINING_LEVEL_TARGETS.items():
        by_indicator[indicator] = by_indicator.get(indicator, 0) + enrolled.get(level, 0)
    return {"levels": enrolled, "completed": completed, "enrolled": by_indicator}


def training_tables(period: Period, by_level: dict, targets: dict) -> list[Table]:
    headers = [_("Level"), _("Enrolled"), _("Completed"), _("Target (enrolment)"), _("Reached (%)")]
    rows = []
    for indicator, levels in (
        (Target.Indicator.ENROLMENT_COLLEGE, [CourseLevel.COLLEGE]),
        (Target.Indicator.ENROLMENT_INTERMEDIATE, [CourseLevel.INTERMEDIATE]),
        (Target.Indicator.ENROLMENT_ELEMENTARY, [CourseLevel.ELEMENTARY, CourseLevel.SHORT_COURSE]),
        (Target.Indicator.ENROLMENT, list(CourseLevel)),
    ):
        enrolled = sum(by_level["levels"].get(level, 0) for level in levels)
        completed = sum(by_level["completed"].get(level, 0) for level in levels)
        target = plain(targets.get(indicator))
        rows.append([str(Target.Indicator(indicator).label), enrolled, completed, target, share(enrolled, target)])
    tables = [Table("training_level", _("Vocational training: enrolled and completed by level"), headers, rows)]
    enrolments, completions = enrolments_counted(period), completions_counted(period)
    total = by_level["enrolled"][Target.Indicator.ENROLMENT]
    for dimension in TRAINING_DIMENSIONS[1:]:
        pairs = side_by_side(dimension, enrolments, completions)
        cells = [
            [label, enrolled, completed, share(enrolled, total) if enrolled else None]
            for label, enrolled, completed in pairs
        ]
        headers = [dimension.heading, _("Enrolled"), _("Completed"), _("Share of all enrolments (%)")]
        title = _("Vocational training: %(breakdown)s") % {"breakdown": str(dimension.title).lower()}
        tables.append(Table(f"training_{dimension.name}", title, headers, cells, empty=NO_ENROLMENT))
    tables.append(_training_rates_table(targets))
    return tables


def training_rates() -> dict:
    """Portal proxies, as of today: registered workers, those with a vocational certificate of any level,
    those with one the institution or an officer verified. One aggregate query."""
    vocational = Q(certificates__kind=Certificate.Kind.VOCATIONAL) & ~Q(certificates__level="")
    return WorkerProfile.objects.aggregate(
        registered=Count("id", distinct=True),
        trained=Count("id", distinct=True, filter=vocational),
        certified=Count("id", distinct=True, filter=vocational & Q(certificates__verified=True)),
    )


def _training_rates_table(targets: dict) -> Table:
    rates = training_rates()
    headers = [_("Indicator"), _("Workers"), _("Of registered workers (%)"), _("Plan (%, labour-force survey)")]
    rows = [
        [_("Registered workers (portal)"), rates["registered"], None, None],
        [
            _("Registered workers with vocational training (portal proxy of the trained-labour rate)"),
            rates["trained"],
            share(rates["trained"], rates["registered"]),
            plain(targets.get(Target.Indicator.TRAINED_RATE)),
        ],
        [
            _("Registered workers with a verified certificate (portal proxy of the certified share)"),
            rates["certified"],
            share(rates["certified"], rates["registered"]),
            plain(targets.get(Target.Indicator.CERTIFIED_RATE)),
        ],
    ]
    title = _("Trained workers: portal proxies beside the plan's survey rates")
    return Table("training_rates", title, headers, rows)


# --- Work abroad: departures, returns, returnees placed again, open cases (candidates/abroad.py) ---------

PLACED_AGAIN_WITHIN = "6 months"  # PostgreSQL interval: 31 March + 6 months = 30 September
NO_DEPARTURE = _("No departure or return yet.")


def departures_counted(period: Period) -> QuerySet:
    """Departures abroad in the period: counted placements abroad, by the one rule."""
    return counted(period).filter(is_abroad=True)


def returns_counted(period: Period) -> QuerySet:
    """Returns recorded in the period, of departures that were not withdrawn, each once."""
    return Placement.objects.filling().filter(
        is_abroad=True, returned_on__gte=period.start, returned_on__lte=period.as_of
    )


def placed_again(period: Period) -> dict:
    """Returnees of the period, and those placed again (at home or abroad, any counted placement) within
    6 months of their return and by the as-of day: one query."""
    window_end = Func(
        OuterRef("returned_on"),
        template=f"(%(expressions)s + interval '{PLACED_AGAIN_WITHIN}')",
        output_field=DateField(),
    )
    again = Placement.objects.counted().filter(
        worker=OuterRef("worker"),
        worker__isnull=False,
        placed_on__gte=OuterRef("returned_on"),
        placed_on__lte=window_end,
    )
    again = again.filter(placed_on__lte=period.as_of).exclude(pk=OuterRef("pk"))
    return returns_counted(period).aggregate(returned=Count("id"), again=Count("id", filter=Exists(again)))


def abroad_tables(period: Period) -> list[Table]:
    """Departures and returns by commune (2025 and pre-2025 districts) and by country, returnees placed
    again, and the open cases by reason: one query per table."""
    departures, returns = departures_counted(period), returns_counted(period)
    tables = []
    for name in ("commune", "old_district", "country"):
        dimension = BY_NAME[name]
        cells = [list(pair) for pair in side_by_side(dimension, departures, returns)]
        headers = [dimension.heading, _("Departures"), _("Returns")]
        title = _("Work abroad: %(breakdown)s") % {"breakdown": str(dimension.title).lower()}
        tables.append(Table(f"abroad_{name}", title, headers, cells, empty=NO_DEPARTURE))
    again = placed_again(period)
    rows = [
        [_("Returnees in the period"), again["returned"], None],
        [_("Of them, placed again within 6 months"), again["again"], share(again["again"], again["returned"])],
    ]
    headers = [_("Returnees"), _("Workers"), _("Of the returnees (%)")]
    tables.append(Table("abroad_returnees", _("Returnees placed again"), headers, rows))
    tables.append(_open_cases_table())
    return tables


def _open_cases_table() -> Table:
    """Cases open or in review today, by reason (each case once)."""
    counts = dict(Report.objects.open().values_list("reason").annotate(n=Count("id")).order_by())
    rows = [[str(label), counts[reason]] for reason, label in Report.Reason.choices if counts.get(reason)]
    headers = [_("Reason"), _("Open cases")]
    return Table("abroad_cases", _("Open cases by reason, today"), headers, rows, empty=NO_OPEN_CASE)


NO_OPEN_CASE = _("No open case.")


def fairs_table(period: Period) -> Table:
    """Job fairs held in the period, one row each, in one query: registrations, check-ins, workers
    interviewed (every outcome; a hire was interviewed too), and hires that count (confirmed placements,
    the rule of `counted`, so this column moves with the new-jobs row)."""
    confirmed = Q(outcomes__placement__status=Placement.Status.CONFIRMED)
    fairs = (
        Fair.objects.filter(held_on__gte=period.start, held_on__lte=period.as_of)
        .annotate(
            registered=Count("registrations", distinct=True),
            checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False), distinct=True),
            interviewed=Count("outcomes", distinct=True),
            hired=Count("outcomes", filter=confirmed, distinct=True),
        )
        .order_by("held_on", "pk")
    )
    headers = [_("Job fair"), _("Registered"), _("Checked in"), _("Interviewed"), _("Hired (confirmed)")]
    cells = [
        [f"{fair.title} ({fair.held_on:%d/%m/%Y})", fair.registered, fair.checked_in, fair.interviewed, fair.hired]
        for fair in fairs
    ]
    return Table("fairs", _("By job fair"), headers, cells, empty=_("No job fair held yet this year."))
