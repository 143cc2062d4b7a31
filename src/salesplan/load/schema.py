"""The plan format: typed, bounded pydantic models for one YAML plan file.

Key names carry units (``*_rate`` is a fraction, ``*_months``, ``*_days``, money keys say
what they are).  Every model forbids unknown keys and is strict: ``"5"`` is not a number.
Cross-references (a role working a stage that does not exist, shares that do not sum to 1)
are checked after this layer, by the plan rules of :mod:`salesplan.checks.plan_rules`, so
that all of them are reported with their locations at once.  ``docs/plan-format.md`` is
generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

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


# A number that may be given as a range (see Range).  Bounds are checked on every value.
Uncertain = float | Range
UncertainInt = int | Range

Fraction = Annotated[float, Field(ge=0, le=1)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Money = Annotated[float, Field(ge=0, le=1e13)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")]


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
    work_hours_per_month: float = Field(
        160, gt=0, le=744, description="Working hours in a person's month (interviewing load)."
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
        None, description="New MRR booked in month 1, n, given directly."
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
    rate: Uncertain = Field(description="Conversion rate to the next stage (or to won), 0 < q ≤ 1.")
    days: Uncertain = Field(0.0, description="Days from entering this stage to the next, ≥ 0.")


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


Segment = Literal["self_serve", "smb", "mid_market", "enterprise"]


class Tier(_Model):
    """A customer tier: price, retention, share of new business, opening base and motions."""

    segment: Segment | None = Field(None, description="Which kind of tier this is.")
    mrr: Uncertain | None = Field(None, description="MRR of an average new customer, p.")
    acv: Uncertain | None = Field(None, description="Or annual contract value (p = ACV / 12).")
    churn_rate: Uncertain = Field(0.0, description="Monthly logo churn, 0 ≤ c < 1.")
    expansion_rate: Uncertain = Field(0.0, description="Monthly expansion of retained MRR, ≥ 0.")
    gross_margin: Annotated[float, Field(gt=0, le=1)] = Field(
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
    capacity: Uncertain | None = Field(
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
    quota: Money | None = Field(None, description="Annual quota in new (or net) ARR.")
    attainment: Uncertain = Field(
        1.0, description="Expected quota attainment of a ramped rep (turns quota into capacity)."
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
    ramp_months: UncertainInt = Field(
        0, description="Months to full capacity, R (linear: month m at (m+1)/(R+1))."
    )
    ramp_curve: list[Annotated[float, Field(gt=0, le=1)]] | None = Field(
        None, max_length=36, description="Or explicit capacity fractions by month, ending at 1."
    )
    attrition_rate: Uncertain = Field(0.0, description="Annual attrition, 0 ≤ a < 1.")
    hiring_lead_months: UncertainInt = Field(
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
    members: dict[Name, Annotated[float, Field(gt=0, le=100)]] = Field(
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
    suppress: list[Suppression] = Field(
        default_factory=list, description="Check codes this plan silences, each with a reason."
    )


def point(value: float | Range) -> float:
    """Return the value a deterministic plan uses: the number, or a range's likely value."""
    return value.likely if isinstance(value, Range) else float(value)


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of the plan format."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://salesplan.dev/schema/plan-1.json"
    schema["title"] = "salesplan plan"
    return schema
