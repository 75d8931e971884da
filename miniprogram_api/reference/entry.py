"""One operation's reference entry (the data modules of this package are dicts of these)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    summary: str  # Simplified Chinese, one line: the name developers see in /docs
    description: str  # what it does and when to call it
    errors: dict[int, list[str]] = field(
        default_factory=dict
    )  # 4xx status -> the stable `code`s it answers
    params: dict[str, str] = field(default_factory=dict)  # path/query parameter -> what it means
    headers: dict[str, str] = field(
        default_factory=dict
    )  # a request header the view reads -> what it means
    fields: dict[str, str] = field(
        default_factory=dict
    )  # a body field ("records.scenario") its shape leaves undescribed
