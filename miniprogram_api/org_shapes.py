"""The organisation API's request and response shapes (miniprogram_api.org serves them; the
OpenAPI document is generated from them)."""

from miniprogram_api.schemas import Day
from miniprogram_api.shapes import Field, Model

_ID = r"^[A-Za-z0-9_.:-]+$"


class ProjectIn(Model):
    project_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    type: str = Field(
        min_length=1,
        max_length=20,
        description="pv | heat_pump | efficient_ac | afforestation | cycling",
    )
    owner_link_code: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="a citizen's link code made for this organisation's id",
    )
    capacity: str | None = Field(None, max_length=64, description="as stated, e.g. '5 kWp'")
    location: str | None = Field(None, max_length=200)


class ProjectOut(Model):
    project_id: str
    type: str
    owned_by_citizen: bool
    capacity: str | None
    location: str | None
    created_at: str


class ReadingIn(Model):
    reading_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    project_id: str = Field(min_length=1, max_length=64, pattern=_ID)
    period_start: Day
    period_end: Day = Field(description="inclusive; periods of one project may not overlap")
    quantity: float = Field(
        description="metered kWh (pv, heat_pump, efficient_ac), trees (afforestation) or km "
        "(cycling); more than 0 and within the type's daily bound, else bad_quantity"
    )


class ReadingsIn(Model):
    readings: list[ReadingIn] = Field(
        min_length=1,
        max_length=500,
        each=True,
        description="a reading that is not a ReadingIn is rejected alone (bad_quantity, "
        "bad_period or invalid_reading)",
    )


class ReadingRejected(Model):
    reading_id: str
    reason: str = Field(
        description="unknown_project | overlap | in_future | bad_period | bad_quantity | "
        "no_methodology | busy | invalid_reading (an id or a field of the wrong kind)"
    )


class ReadingsOut(Model):
    accepted: int
    duplicates: int
    rejected: list[ReadingRejected]


class PeriodQuery(Model):
    from_: Day = Field(alias="from")
    to: Day


class ReductionRow(Model):
    project_id: str
    methodology: str
    version: str
    grams: int
    readings: int


class ProjectReductionsOut(Model):
    items: list[ReductionRow]
    total_grams: int


class BatchTotal(Model):
    methodology: str
    version: str
    readings: int
    grams: int


class SaleOut(Model):
    trade_ref: str
    trade_date: str
    tonnes: str
    price_yuan_per_tonne: str
    gross_yuan: str
    fees_yuan: str
    net_yuan: str


class FeedbackPolicyOut(Model):
    share: str
    coins_per_yuan: str
    effective_from: str
    source: str


class BatchOut(Model):
    batch_id: str
    number: int
    period_from: str
    period_to: str
    status: str = Field(description="building | sealed | sold | fed_back")
    readings: int
    grams: int
    totals: list[BatchTotal]
    sold_yuan: str | None = Field(description="the sale's net yuan (gross minus fees), 2 places")
    sale: SaleOut | None = Field(description="the exchange's trade confirmation, as recorded")
    feedback_coins: int | None = Field(
        description="coins returned to the batch's citizens, fixed by the first run"
    )
    feedback_policy: FeedbackPolicyOut | None


class BatchList(Model):
    items: list[BatchOut]
    next_cursor: str | None


class FeedbackTotals(Model):
    coins: int
    citizens: int
    share: str
    coins_per_yuan: str
    policy_from: str
    returned_yuan: str = Field(description="the coins' value at the policy's coin value, 2 places")
    kept_yuan: str


class BatchDetail(BatchOut):
    tonnes: str = Field(description="certified tonnes CO2, 6 places")
    feedback: FeedbackTotals | None


class OrgProject(Model):
    project_id: str
    type: str
    capacity: str | None
    location: str | None
    owner_linked: bool = Field(description="a citizen owns it (their link is in place)")
    certified_grams: int = Field(description="grams certified from all its readings")


class OrgProjectPage(Model):
    items: list[OrgProject]
    next_cursor: str | None


class OrgPageQuery(Model):
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=2048)
