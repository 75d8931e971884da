"""JSON out of the API: every time a client reads carries +08:00 (API.md), in one place.

Tables keep times in UTC (sortable, compared as strings by the expiry and redemption
conditions); each `*_at` field of a response is restated in Asia/Shanghai on the way out,
so no view (nor one added later) can leak a `Z` or `+00:00`."""

from flask.json.provider import DefaultJSONProvider

from core.localday import local_iso


def _local(value):
    if isinstance(value, dict):
        return {
            k: (_as_local(v) if isinstance(k, str) and k.endswith("_at") else _local(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_local(v) for v in value]
    return value


def _as_local(v):
    if not isinstance(v, str) or len(v) < 19 or v[4:5] != "-" or v[10:11] != "T":
        return _local(v)
    try:
        return local_iso(v, "seconds" if len(v) <= 25 else "microseconds")
    except (ValueError, OverflowError):  # a stored text that is no time (or none at +08:00): as is
        return v


class LocalTimeJSON(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj, **kwargs):
        return super().dumps(_local(obj), **kwargs)
