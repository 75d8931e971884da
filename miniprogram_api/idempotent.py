"""Idempotency-Key on a mutation view (API.md Conventions), in one place: `@idempotent(...)`.

The decorator sits under the caller's authentication and over the body's validation. A request
with a key is hashed (operation, path parameters, body as parsed; keyed with the deployment's hash
key) and looked up in its caller's key space (core.idempotency):
- a key of another request: 409 `idempotency_key_reused`, the view does not run;
- a retry of the same request: the first answer again, produced without changing anything, in the
  first way that applies: the answer the record keeps (only where it holds nothing personal:
  `keep_answer`), an empty 204, `replay(ref, **path)` rebuilding it from what the first request
  wrote, or the view run again where running it again changes nothing and answers the same;
- a first request: the view runs; a success is recorded (status, what it made: `made(...)` from
  the view or `ref(answer)`, the answer when kept). Should the view fail while another request with the key succeeded meanwhile (two at
  once), that one's answer is given.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, jsonify, make_response, request

from core.errors import ApiError
from miniprogram_api.deps import settings


def citizen() -> str:
    return g.user_id


def merchant() -> str:
    return f"merchant#{g.merchant_key.key_id}"


def partner() -> str:
    return f"partner#{g.partner.partner_id}"


def org() -> str:
    return f"org#{g.org.org_id}"


def made(ref: str) -> None:
    """The view names what its first request made (kept as the record's `ref`)."""
    g.idempotency_ref = ref


def keyed():
    """The request's key (core.idempotency.Keyed), None without one."""
    return g.get("idempotency")


def current():
    """The request's key for a view whose change writes the key's record in its own transaction
    (core.idempotency.put_in), which the decorator then does not write again; None without one."""
    g.idempotency_written = True
    return keyed()


def _body():
    raw = request.get_data(cache=True)
    if not raw:
        return None
    # Parsed (bounded: miniprogram_api's JSON provider is core.jsonbounds), so the same JSON spaced
    # or ordered otherwise is the same body; what does not parse is hashed as its text (the view
    # answers it 4xx and nothing is recorded).
    parsed = request.get_json(force=True, silent=True)
    return raw.decode("utf-8", "replace") if parsed is None else parsed


def idempotent(
    operation: str,
    space: Callable[[], str] = citizen,
    *,
    replay: Callable[..., dict] | None = None,
    ref: Callable[[dict], str] | None = None,
    keep_answer: bool = False,
):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Idempotency-Key")
            if header is None:  # most requests: no import, no body parsed twice, no hash
                return view(*args, **kwargs)
            from core import idempotency  # its table's model: not imported at a cold start

            request_ = {"path": request.view_args or {}, "body": _body()}
            k = idempotency.keyed(space(), header, operation, request_, settings().hash_key)
            done = idempotency.first(k)
            if done is not None:
                return _again(done, replay, view, args, kwargs)
            g.idempotency = k
            try:
                response = make_response(view(*args, **kwargs))
            except ApiError:
                done = idempotency.first(k)  # another request with this key succeeded meanwhile?
                if done is None:
                    raise
                return _again(done, replay, view, args, kwargs)
            if response.status_code < 300 and not g.get("idempotency_written"):
                answer = response.get_json(silent=True)
                made = g.get("idempotency_ref")  # what the view says it made, else from the answer
                if made is None and ref is not None and answer is not None:
                    made = ref(answer)
                idempotency.remember(k, response.status_code, made, answer if keep_answer else None)
            return response

        return wrapper

    return decorate


def _again(done, replay, view, args, kwargs):
    """The first answer of a retry, changing nothing."""
    if done.answer is not None:
        return jsonify(done.answer), done.http_status
    if done.http_status == 204:
        return "", 204
    if replay is not None:
        return jsonify(replay(done.ref, **kwargs)), done.http_status
    return view(*args, **kwargs)  # running it again changes nothing and answers as the first did
