"""What a merchant's directory record may be, checked where ops hand it in (`tanpuhui merchant
upsert FILE`). Pure.

A merchant file is a JSON list of {"id", "name", "category", "district", "address"}. Every
problem of every merchant is reported at once (as product files are), and a file with any
problem writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Guangzhou's 11 districts (广州市辖 11 个区), as citizens write them.
DISTRICTS = (
    "越秀区",
    "海珠区",
    "荔湾区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
)
CATEGORIES = ("retail", "services", "tourism")
ID = re.compile(r"^m_[a-z0-9_]{2,40}$")
MAX_NAME, MAX_ADDRESS = 40, 80


@dataclass(frozen=True)
class MerchantSpec:
    id: str
    name: str
    category: str
    district: str
    address: str


class InvalidMerchants(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(m: dict, name: str, most: int, problems: list, where: str) -> str:
    v = m.get(name)
    if (
        not isinstance(v, str)
        or not v.strip()
        or len(v.strip()) > most
        or any(ord(c) < 32 for c in v)
    ):
        problems.append(f"{where}: {name} must be text of 1 to {most} characters")
        return ""
    return v.strip()


def parse_merchants(data) -> list[MerchantSpec]:
    """The file's merchants, or InvalidMerchants naming every problem."""
    if not isinstance(data, list) or not data:
        raise InvalidMerchants(["the file must be a non-empty JSON list of merchants"])
    problems, specs, seen = [], [], set()
    for i, m in enumerate(data):
        where = f"merchant {i + 1}"
        if not isinstance(m, dict):
            problems.append(f"{where}: must be an object")
            continue
        mid = m.get("id")
        if not isinstance(mid, str) or not ID.fullmatch(mid):
            problems.append(f"{where}: id must match {ID.pattern}")
        elif mid in seen:
            problems.append(f"{where}: id {mid} appears twice")
        else:
            seen.add(mid)
            where = f"merchant {mid}"
        name = _text(m, "name", MAX_NAME, problems, where)
        address = _text(m, "address", MAX_ADDRESS, problems, where)
        if m.get("category") not in CATEGORIES:
            problems.append(f"{where}: category must be one of {', '.join(CATEGORIES)}")
        if m.get("district") not in DISTRICTS:
            problems.append(
                f"{where}: district must be one of Guangzhou's 11 districts ({'、'.join(DISTRICTS)})"
            )
        if not problems:
            specs.append(MerchantSpec(mid, name, m["category"], m["district"], address))
    if problems:
        raise InvalidMerchants(problems)
    return specs


def directory_key(category: str, district: str, merchant_id: str) -> str:
    return f"{district}#{category}#{merchant_id}"
