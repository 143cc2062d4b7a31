"""The plan format: typed, bounded pydantic models for one YAML plan file.

Key names carry units (``*_rate`` is a fraction, ``*_months``, ``*_days``, money keys say
what they are).  Every model forbids unknown keys and is strict: ``"5"`` is not a number.
Cross-references (a role working a stage that does not exist, shares that do not sum to 1)
are checked after this layer, by the plan rules of :mod:`salesplan.checks.plan_rules`, so
that all of them are reported with their locations at once.  ``docs/plan-format.md`` is
generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, populate_by_name=True
    )


class Range(_Model):
    """An uncertain input: low / likely / high.  Plans use the likely value; ``simulate``
    draws from a beta-PERT (default) or triangular distribution over [low, high]."""

    low: float = Field(description="Lowest plausible value.")
    likely: float = Field(description="Most likely value: the one `plan` uses.")
    high: float = Field(description="Highest plausible value.")
    dist: Literal["pert", "triangular"] = Field(
        "pert", description="Distribution drawn by `simulate`."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low <= self.likely <= self.high:
            raise ValueError("a range needs low <= likely <= high")
        return self


# Each kind of number once, with its bounds: a value of a kind, or each end of its range
# (the Range subclass of the same kind), must lie within them, and the JSON Schema says so.
# A minimum above 0 is where the engine divides by the value: the reason is beside it.
Fraction = Annotated[float, Field(ge=0, le=1)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
# Churn and attrition: a rate of 1 would lose every customer (or person) each period.
OpenFraction = Annotated[float, Field(ge=0, lt=1)]
# Volumes are wins / the product of up to 12 conversion rates: at 1e-6 each that product
# stays far from underflow, so no volume is infinite.
Conversion = Annotated[float, Field(ge=1e-6, le=1)]
# Prices (customers = new MRR / price) and capacities (need = work / capacity): a thousandth
# keeps every quotient a finite number of customers or people.
Positive = Annotated[float, Field(ge=1e-3, le=1e13)]
# Capacity from a quota is quota x attainment / 12: work is divided by it.
Attainment = Annotated[float, Field(ge=0.01, le=2)]
Days = Annotated[float, Field(ge=0, le=3650)]
RampMonths = Annotated[int, Field(ge=0, le=36)]
LeadMonths = Annotated[int, Field(ge=0, le=24)]
# A range's ends are numbers (YAML may write 2 or 2.0); whole-month ends must be whole.
_WholeRampMonths = Annotated[float, Field(ge=0, le=36, multiple_of=1)]
_WholeLeadMonths = Annotated[float, Field(ge=0, le=24, multiple_of=1)]


class FractionRange(Range):
    """A range of fractions: each end from 0 to 1."""

    low: Fraction = Field(description="Lowest plausible value.")
    likely: Fraction = Field(description="Most likely value: the one `plan` uses.")
    high: Fraction = Field(description="Highest plausible value.")


class OpenFractionRange(Range):
    """A range of churn or attrition rates: each end from 0 to just under 1."""

    low: OpenFraction = Field(description="Lowest plausible value.")
    likely: OpenFraction = Field(description="Most likely value: the one `plan` uses.")
    high: OpenFraction = Field(description="Highest plausible value.")


class ConversionRange(Range):
    """A range of conversion rates: each end from 0.000001 to 1."""

    low: Conversion = Field(description="Lowest plausible value.")
    likely: Conversion = Field(description="Most likely value: the one `plan` uses.")
    high: Conversion = Field(description="Highest plausible value.")


class PositiveRange(Range):
    """A range of prices or capacities: each end from 0.001 to 1e13."""

    low: Positive = Field(description="Lowest plausible value.")
    likely: Positive = Field(description="Most likely value: the one `plan` uses.")
    high: Positive = Field(description="Highest plausible value.")


class AttainmentRange(Range):
    """A range of quota attainment: each end from 0.01 to 2."""

    low: Attainment = Field(description="Lowest plausible value.")
    likely: Attainment = Field(description="Most likely value: the one `plan` uses.")
    high: Attainment = Field(description="Highest plausible value.")


class DaysRange(Range):
    """A range of days: each end from 0 to 3650."""

    low: Days = Field(description="Lowest plausible value.")
    likely: Days = Field(description="Most likely value: the one `plan` uses.")
    high: Days = Field(description="Highest plausible value.")


class RampMonthsRange(Range):
    """A range of ramp months: each end a whole number from 0 to 36."""

    low: _WholeRampMonths = Field(description="Lowest plausible value.")
    likely: _WholeRampMonths = Field(description="Most likely value: the one `plan` uses.")
    high: _WholeRampMonths = Field(description="Highest plausible value.")


class LeadMonthsRange(Range):
    """A range of hiring lead times: each end a whole number of months from 0 to 24."""

    low: _WholeLeadMonths = Field(description="Lowest plausible value.")
    likely: _WholeLeadMonths = Field(description="Most likely value: the one `plan` uses.")
    high: _WholeLeadMonths = Field(description="Highest plausible value.")


RANGES: tuple[type[Range], ...] = (
    FractionRange,
    OpenFractionRange,
    ConversionRange,
    PositiveRange,
    AttainmentRange,
    DaysRange,
    RampMonthsRange,
    LeadMonthsRange,
)
"""Every kind of range a plan may give, for the docs (each bounds its ends like its kind)."""

Money = Annotated[float, Field(ge=0, le=1e13)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")]
# Twelve relative weights of new bookings by calendar month, January first (docs/model.md §14).
BookingWeights = Annotated[
    list[Annotated[float, Field(ge=0, le=100)]], Field(min_length=12, max_length=12)
]
# Twelve shares of a role's full capacity by calendar month, January first (holidays).
CapacityWeights = Annotated[
    list[Annotated[float, Field(gt=0, le=1)]], Field(min_length=12, max_length=12)
]


class Company(_Model):
    """Who the plan is for and the calendar it runs on."""

    name: str = Field(min_length=1, max_length=200, description="Company or plan name.")
    currency: str = Field(
        "USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code; one currency per plan."
    )
    start: str = Field(
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="First month of the plan, `YYYY-MM` (quote it or not: both read as text).",
    )
    horizon_months: int = Field(24, ge=1, le=120, description="Months planned, T (1–120).")
    # Interviewing load is hours / (heads x these hours): an hour at least.
    work_hours_per_month: float = Field(
        160, ge=1, le=744, description="Working hours in a person's month (interviewing load)."
    )


class Target(_Model):
    """Exactly one revenue target (docs/model.md §1) and the growth of new bookings."""

    ending_arr: Money | None = Field(None, description="ARR at the end of the horizon, A.")
    first_year_revenue: Money | None = Field(
        None, description="Recognised revenue in months 1–12, Y (needs horizon ≥ 12)."
    )
    new_arr_per_year: Money | None = Field(
        None, description="New ARR booked in the first 12 months, B."
    )
    new_mrr_per_month: Money | None = Field(
        None,
        description="New MRR booked in month 1, given directly (with seasonality, month 1's).",
    )
    growth_rate: float = Field(
        0.0,
        ge=-0.5,
        le=1.0,
        description="Monthly growth of new bookings, g − 1 (0 = the same new MRR every month).",
    )
    first_year_months: int = Field(
        12,
        ge=1,
        le=12,
        description=(
            "Months of the first year still ahead: 12 in a new plan; a reforecast after k "
            "months of actuals has 12 − k (first_year_revenue and new_arr_per_year count these)."
        ),
    )


class Stage(_Model):
    """One funnel stage: its conversion rate to the next stage and the days it takes."""

    name: Name = Field(description="Stage name, e.g. `lead`, `mql`, `sql`, `opportunity`.")
    rate: Conversion | ConversionRange = Field(
        description="Conversion rate to the next stage (or to won), q."
    )
    days: Days | DaysRange = Field(
        0.0, description="Days from entering this stage to the next, ≥ 0."
    )


class Marketing(_Model):
    """What marketing spends to feed a motion."""

    cost_per_entry: Money = Field(
        0.0, description="Cost per entry into the motion's first stage (e.g. cost per lead)."
    )
    programme_per_month: Money = Field(0.0, description="Fixed programme spend per month.")


MotionKind = Literal["self_serve", "pql", "inbound", "outbound", "partner", "field"]


class Motion(_Model):
    """A way a tier's customers are won, with its share of the tier's new customers."""

    share: Fraction = Field(description="Share of the tier's new customers won by this motion.")
    kind: MotionKind | None = Field(
        None, description="What kind of motion this is (used by the field rules of thumb)."
    )
    stages: list[Stage] = Field(
        min_length=1, max_length=12, description="Ordered stages; the last converts to won."
    )
    marketing: Marketing = Field(default_factory=Marketing, description="Marketing spend.")
    seasonality: BookingWeights | None = Field(
        None,
        description=(
            "Twelve weights (≥ 0, ≤ 100) of this motion's new customers by calendar month, "
            "January first (default: its tier's)."
        ),
    )


Segment = Literal["self_serve", "smb", "mid_market", "enterprise"]


class Tier(_Model):
    """A customer tier: price, retention, share of new business, opening base and motions."""

    segment: Segment | None = Field(None, description="Which kind of tier this is.")
    mrr: Positive | PositiveRange | None = Field(
        None, description="MRR of an average new customer, p."
    )
    acv: Positive | PositiveRange | None = Field(
        None, description="Or annual contract value (p = ACV / 12)."
    )
    churn_rate: OpenFraction | OpenFractionRange = Field(
        0.0, description="Monthly logo churn, 0 ≤ c < 1."
    )
    expansion_rate: Fraction | FractionRange = Field(
        0.0, description="Monthly expansion of retained MRR, ≥ 0."
    )
    # CAC payback is CAC / (price x margin): a margin of at least 1%.
    gross_margin: Annotated[float, Field(ge=0.01, le=1)] = Field(
        0.8, description="Gross margin (for CAC payback and LTV)."
    )
    share: Fraction | None = Field(
        None, description="Share of new MRR; shares of all tiers that give one sum to 1."
    )
    new_mrr: Money | None = Field(
        None, description="Or an explicit new MRR booked in month 1 (grows like the rest)."
    )
    opening_arr: Money = Field(0.0, description="ARR at the start (M0 = opening ARR / 12).")
    opening_customers: Annotated[float, Field(ge=0, le=1e9)] = Field(
        0.0, description="Customers at the start, C0."
    )
    onboarding_cost: Money = Field(
        0.0,
        description="One-off cost of onboarding a new customer (for time to profitability).",
    )
    motions: dict[Name, Motion] = Field(
        min_length=1, max_length=8, description="Motions by name (e.g. inbound, outbound)."
    )
    seasonality: BookingWeights | None = Field(
        None,
        description=(
            "Twelve weights (≥ 0, ≤ 100) of this tier's new bookings by calendar month, "
            "January first (default: the plan's `seasonality`)."
        ),
    )


class Driver(_Model):
    """What a role works and how much of it one fully ramped person handles a month.

    Exactly one of ``stage`` (a flow of entries into stages), ``stock`` (active customers
    or their ARR), ``manages`` (other roles' heads) or ``starts`` (other roles' hires) is
    given.
    """

    stage: Name | list[Name] | None = Field(
        None, description="Entries into these stage(s) (`won` is the wins)."
    )
    stock: Literal["customers", "arr"] | None = Field(
        None, description="Active customers, or their ARR, of the tiers below."
    )
    manages: list[Name] | None = Field(None, description="Roles whose heads this role manages.")
    starts: list[Name] | None = Field(
        None,
        description="Roles whose starts this role hires (recruiting): capacity is hires a month.",
    )
    tiers: list[Name] | None = Field(None, description="Only these tiers (default all).")
    motions: list[Name] | None = Field(None, description="Only these motions (default all).")
    measure: Literal["deals", "new_arr"] = Field(
        "deals", description="For a flow: count deals, or their new ARR (quota carriers)."
    )
    capacity: Positive | PositiveRange | None = Field(
        None,
        description=(
            "Per fully ramped person a month: entries, new ARR, customers, ARR, or span of "
            "control. With measure new_arr and none given: quota × attainment / 12."
        ),
    )


class Comp(_Model):
    """Compensation of one person in the role (docs/model.md §6–7)."""

    ote: Money = Field(0.0, description="On-target earnings per year.")
    base_share: Fraction = Field(1.0, description="Base as a share of OTE (0.5 = 50/50).")
    # A quota becomes capacity (work is divided by it) and commission = variable / quota:
    # at least 1 in the plan's currency (no quota: leave the key out).
    quota: Annotated[float, Field(ge=1, le=1e13)] | None = Field(
        None, description="Annual quota in new (or net) ARR."
    )
    attainment: Attainment | AttainmentRange = Field(
        1.0, description="Expected quota attainment of a ramped rep (turns quota into capacity)."
    )
    quota_ramp: (
        Literal["ramp", "full"]
        | Annotated[list[Annotated[float, Field(gt=0, le=1)]], Field(min_length=1, max_length=36)]
    ) = Field(
        "ramp",
        description=(
            "Quota by month of tenure: `ramp` follows the role's ramp, `full` is the whole "
            "quota from the start month, or fractions of quota (> 0, ≤ 1) rising to 1."
        ),
    )
    pay_basis: Literal["new_bookings", "net_bookings"] = Field(
        "new_bookings", description="Variable paid on new bookings, or net incl. renewals."
    )
    pooled_share: Fraction = Field(0.0, description="Team-pooled share of variable pay.")
    burden_rate: Annotated[float, Field(ge=0, le=2)] = Field(
        0.2, description="Payroll taxes and benefits on top of pay."
    )
    tools_per_month: Money = Field(0.0, description="Tools and software per head a month.")
    cost_per_hire: Money = Field(0.0, description="Recruiting cost per start.")


Category = Literal[
    "sales", "marketing", "success", "leadership", "revops", "enablement", "recruiting", "other"
]


class Role(_Model):
    """A role: what sizes it (drivers, or a headcount schedule), ramp, attrition, hiring lead
    time, cost and function."""

    title: str | None = Field(None, max_length=100, description="Human title.")
    function: Literal["acquisition", "retention", "split", "overhead"] = Field(
        "acquisition",
        description=(
            "Whether its cost goes to CAC, CRC, both by a stated share, or is overhead: "
            "shared out like the rest of each month's S&M cost."
        ),
    )
    category: Category | None = Field(
        None,
        description="What kind of role it is (leadership and recruiting are read by the checks).",
    )
    acquisition_share: Fraction | None = Field(
        None, description="With function split: the share of cost that is acquisition."
    )
    opening_heads: Annotated[int, Field(ge=0, le=100_000)] = Field(
        0, description="People in the role at the start, fully ramped."
    )
    ramp_months: RampMonths | RampMonthsRange = Field(
        0, description="Months to full capacity, R (linear: month m at (m+1)/(R+1))."
    )
    ramp_curve: list[Annotated[float, Field(gt=0, le=1)]] | None = Field(
        None,
        min_length=1,
        max_length=36,
        description="Or explicit capacity fractions by month, ending at 1.",
    )
    attrition_rate: OpenFraction | OpenFractionRange = Field(
        0.0, description="Annual attrition, 0 ≤ a < 1."
    )
    hiring_lead_months: LeadMonths | LeadMonthsRange = Field(
        0, description="Months from opening a requisition to the start date, h."
    )
    open_requisitions: (
        Annotated[int, Field(ge=0, le=100_000)]
        | dict[Month, Annotated[int, Field(ge=0, le=100_000)]]
    ) = Field(
        0,
        description=(
            "Requisitions already open: a number (these may start before month h, when "
            "needed), or by the month their hire starts, YYYY-MM: n (hires in motion: they "
            "start in that month)."
        ),
    )
    ramping: dict[Month, Annotated[int, Field(ge=0, le=100_000)]] | None = Field(
        None,
        description=(
            "Of the opening heads, those still ramping, by the month before the plan's start "
            "they started in (YYYY-MM: n): their ramp goes on; the rest are fully ramped."
        ),
    )
    accrued_departures: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.0,
        description=(
            "The part of the next departure already accrued at the start, 0 ≤ x < 1 "
            "(docs/model.md §4; 0 in a new plan)."
        ),
    )
    interview_hours_per_hire: Annotated[float, Field(ge=0, le=500)] = Field(
        20.0,
        description="Interviewing hours each start costs its interviewers, before it starts.",
    )
    max_starts_per_month: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="Most people who may start in the role in one month (a hiring cap)."
    )
    max_ramping_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None,
        description=(
            "Most share of the role's heads still ramping after a month's starts (at least one "
            "person may always ramp); default: `hiring.max_ramping_share`."
        ),
    )
    capacity_seasonality: CapacityWeights | None = Field(
        None,
        description=(
            "Twelve shares (> 0, ≤ 1) of full capacity by calendar month, January first "
            "(e.g. 0.8 in August for holidays): they multiply the ramped capacity."
        ),
    )
    interviewers: list[Name] | None = Field(
        None, description="Roles who interview its hires (default: the roles that manage it)."
    )
    drivers: list[Driver] = Field(
        default_factory=list,
        max_length=20,
        description="What the role works (sizes its need); or give heads.",
    )
    heads: dict[Month, Annotated[int, Field(ge=0, le=100_000)]] | None = Field(
        None,
        description=(
            "Or a headcount schedule, YYYY-MM: heads from that month on (before the first, "
            "the opening heads; a month before the start sets the level at the start): a "
            "fixed role, hired and backfilled like any other."
        ),
    )
    comp: Comp = Field(default_factory=Comp, description="Pay and cost of one person.")


class Pod(_Model):
    """A pod template: the business it serves and its members per pod."""

    title: str | None = Field(None, max_length=100)
    tiers: list[Name] | None = Field(None, description="Tiers it serves (default all).")
    motions: list[Name] | None = Field(None, description="Motions it serves (default all).")
    region: str | None = Field(None, max_length=100, description="Label only.")
    industry: str | None = Field(None, max_length=100, description="Label only.")
    # Pods are need / members per pod: a hundredth of a person at least.
    members: dict[Name, Annotated[float, Field(ge=0.01, le=100)]] = Field(
        min_length=1, description="People per pod by role; 0.5 = shared between two pods."
    )


class Programme(_Model):
    """Programme spend beyond per-motion marketing: events, brand, agencies, software."""

    title: str | None = Field(None, max_length=100, description="Human title.")
    function: Literal["acquisition", "retention", "overhead"] = Field(
        "acquisition", description="Whether it goes to CAC, CRC, or is shared out as overhead."
    )
    per_month: Money = Field(0.0, description="Spend a month in month 1.")
    growth_rate: Annotated[float, Field(ge=-0.5, le=1.0)] = Field(
        0.0, description="Monthly growth of the spend, from month 1."
    )
    schedule: dict[Month, Money] | None = Field(
        None, description="Or spend a month from each YYYY-MM on (per_month before the first)."
    )
    tiers: list[Name] | None = Field(None, description="Only these tiers (default all).")
    motions: list[Name] | None = Field(None, description="Only these motions (default all).")


class Economics(_Model):
    """How the board figures are measured."""

    ltv_cap_years: Annotated[float, Field(gt=0, le=30)] = Field(
        5.0,
        description="Years of a customer's margin that LTV counts (boards cap it; 5 is common).",
    )
    cac_lag_months: Annotated[int, Field(ge=0, le=12)] = Field(
        0, description="Months acquisition cost precedes the wins it buys (CAC with a lag)."
    )


class Hiring(_Model):
    """Limits on hiring across the plan (docs/model.md §14)."""

    max_starts_per_month: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        None, description="Most people who may start in one month, all roles together."
    )
    max_ramping_share: Annotated[float, Field(gt=0, le=1)] | None = Field(
        None,
        description=(
            "Most share of a role's heads still ramping after a month's starts, for every "
            "role sized by its work (a role's own key overrides it)."
        ),
    )
    recruiting_capacity: bool = Field(
        False,
        description=(
            "Hold the starts of the roles a recruiter role hires within its recruiters' "
            "capacity (its `starts` driver: hires a month per recruiter)."
        ),
    )


class Suppression(_Model):
    """Silence one check code for this plan, with the reason written down."""

    code: str = Field(pattern=r"^SP\d{3}$", description="The check code, e.g. SP401.")
    reason: str = Field(min_length=3, max_length=500, description="Why it does not apply.")


class Plan(_Model):
    """A salesplan plan file."""

    extends: str | None = Field(
        None, description="Path of a plan this one builds on (relative to this file)."
    )
    company: Company = Field(description="Who the plan is for, currency, start and horizon.")
    target: Target = Field(description="The revenue target and the growth of new bookings.")
    tiers: dict[Name, Tier] = Field(
        min_length=1, max_length=10, description="Customer tiers by name (1–10)."
    )
    roles: dict[Name, Role] = Field(
        default_factory=dict, max_length=30, description="Roles by name (e.g. sdr, ae, csm)."
    )
    pods: dict[Name, Pod] = Field(
        default_factory=dict, max_length=20, description="Pod templates by name."
    )
    staffing: Literal["role", "pod"] = Field(
        "role", description="Staff role by role, or in whole pods."
    )
    programmes: dict[Name, Programme] = Field(
        default_factory=dict, max_length=30, description="Programme spend by name."
    )
    economics: Economics = Field(
        default_factory=Economics, description="How the board figures are measured."
    )
    seasonality: BookingWeights | None = Field(
        None,
        description=(
            "Twelve relative weights (≥ 0, ≤ 100) of new bookings by calendar month, January "
            "first: only their ratios matter (default: the same every month)."
        ),
    )
    hiring: Hiring = Field(default_factory=Hiring, description="Limits on hiring.")
    confidence: Annotated[float, Field(ge=0.05, le=0.99)] | None = Field(
        None,
        description=(
            "Size the plan to reach its target with this probability under its ranges "
            "(default: the likely values)."
        ),
    )
    suppress: list[Suppression] = Field(
        default_factory=list, description="Check codes this plan silences, each with a reason."
    )


def point(value: float | Range) -> float:
    """Return the value a deterministic plan uses: the number, or a range's likely value."""
    return value.likely if isinstance(value, Range) else float(value)


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of the plan format.

    A plan that ``extends`` another may give any part of a plan, and ``null`` deletes a key
    it would inherit: such a file is checked against loosened copies of the models (each
    ``<Model>Override``: nothing required, any key may be null), so editors accept scenario
    files as ``salesplan`` does.  The bounds and key names are the same in both.
    """
    plan = Plan.model_json_schema()
    defs: dict[str, Any] = plan.pop("$defs")
    overrides = {f"{name}Override": _loosened(d) for name, d in defs.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://salesplan.dev/schema/plan-1.json",
        "title": "salesplan plan",
        "description": plan.get("description", ""),
        "$defs": {**defs, "Plan": plan, **overrides, "PlanOverride": _loosened(plan)},
        "if": {"required": ["extends"], "properties": {"extends": {"type": "string"}}},
        "then": {"$ref": "#/$defs/PlanOverride"},
        "else": {"$ref": "#/$defs/Plan"},
    }


_REF = "#/$defs/"


def _loosened(node: Any) -> Any:
    """Return a JSON Schema node for a part of a plan that extends another: no key is
    required, every key may be null, and references lead to the loosened models."""
    if isinstance(node, list):
        return [_loosened(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
            out[key] = f"{value}Override"
        elif key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {k: _nullable(_loosened(v)) for k, v in value.items()}
        elif key == "additionalProperties" and isinstance(value, dict):
            out[key] = _nullable(_loosened(value))
        else:
            out[key] = _loosened(value)
    return out


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """Return a property's schema that also takes null (which deletes the inherited key)."""
    return {"anyOf": [node, {"type": "null"}]}
