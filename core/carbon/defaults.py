"""The methodology versions the platform ships (../shared/METHODOLOGIES.md). Pure data.

Version 1 of every scenario is what ran from launch; version 2 carries the revised, sourced
factors and takes effect from REVISED, after the day it shipped, so no settled day is re-priced.
Each version names its evidence level; `none` credits nothing outside local and test.
Version 3 (CORRECTED) carries the corrections of the 2026 sourcing sweep as new versions (a
version already used to credit is never rewritten): a value shared by several methodologies is a
parameter (core.carbon.parameter_defaults) they refer to, never a copy. NOTES (core.carbon.listing_text) correct what an old
version's record says without changing what it credited.
"""

from core.carbon.default_parts import CORRECTED, REVISED  # noqa: F401 (re-exported)
from core.carbon.defaults_launch import V1
from core.carbon.defaults_projects import PROJECTS
from core.carbon.defaults_revised import V2, V3
from core.carbon.methodology_versions import Methodology
from core.carbon.parameter_defaults import GRID_2023, PARAMETERS  # noqa: F401 (re-exported)

DEFAULTS: tuple[Methodology, ...] = V1 + V2 + PROJECTS + V3
PHCER = frozenset(m.code for m in V1 if m.phcer)
