import io
import json

from core import logs


def _capture(**fields):
    buf = io.StringIO()
    logs.setup("INFO", stream=buf)
    logs.log("evt", **fields)
    return json.loads(buf.getvalue().strip())


def test_log__one_json_object_per_line():
    line = _capture(request_id="abc123def456", count=3)
    assert line["event"] == "evt" and line["count"] == 3 and line["request_id"] == "abc123def456"


def test_log__sensitive_keys__dropped():
    line = _capture(
        openid="oAbc", session_key="k", phone="13800001234", card_no="5100001234", token="t"
    )
    assert not {"openid", "session_key", "phone", "card_no", "token"} & set(line)


def test_log__digit_runs_and_openids_in_text__masked():
    line = _capture(note="card 5100001234567890 phone 13800001234 id oAbCdEfGhIjKlMnOpQrStUvWxYz1")
    assert "5100001234567890" not in line["note"] and "13800001234" not in line["note"]
    assert "oAbCdEfGhIjKlMnOpQrStUvWxYz1" not in line["note"]


def test_log__hex_request_ids__kept():
    assert (
        _capture(request_id="3414998332a347ce9b9af8c8fe47fc48")["request_id"]
        == "3414998332a347ce9b9af8c8fe47fc48"
    )


def test_user_ref__stable_and_not_the_id():
    assert logs.user_ref("u_1") == logs.user_ref("u_1") != "u_1"
