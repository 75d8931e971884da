"""Which official-account pushes are admitted: the account's message mode (plain, compatible,
safe), a fresh timestamp, no replay, and a push shaped as WeChat sends it (4xx, never 5xx)."""

import hashlib
import time

import pytest

from infra.sim_wechat import oa_openid_for
from tests.support.oa import OA_PATH, decrypt_reply, encrypt, reply_content, signed_args, text_xml


@pytest.fixture
def oa_client(aws):
    """oa_client(mode) -> a test client of an app whose account is in that message mode."""
    import bootstrap
    from miniprogram_api import create_app

    def make(mode):
        s = aws.with_(oa_message_mode=mode)
        return create_app(s, services=bootstrap.Services(s)).test_client()

    return make


def post(client, args, body):
    return client.post(OA_PATH, query_string=args, data=body.encode(), content_type="text/xml")


def plain(aws, xml=None, **kw):
    return signed_args(aws, **kw), text_xml(oa_openid_for("adm"), "帮助") if xml is None else xml


def encrypted(aws, xml=None, **kw):
    return encrypt(
        aws, text_xml(oa_openid_for("adm"), "帮助") if xml is None else xml, signed_args(aws, **kw)
    )


def code(r):
    return r.status_code, (r.json or {}).get("error", {}).get("code")


@pytest.mark.parametrize(
    "mode, plain_ok, encrypted_ok",
    [("plain", True, False), ("compatible", True, True), ("safe", False, True)],
)
def test_mode__decides_which_pushes_are_taken(oa_client, aws, mode, plain_ok, encrypted_ok):
    client = oa_client(mode)
    r = post(client, *plain(aws))
    assert (
        (r.status_code == 200 and "回复“碳币”" in reply_content(r.get_data(as_text=True)))
        if plain_ok
        else code(r) == (403, "oa_mode_mismatch")
    )
    args, body = encrypted(aws)
    r = post(client, args, body)
    if encrypted_ok:  # answered encrypted, as the reference sample decrypts it
        assert r.status_code == 200 and "回复“碳币”" in reply_content(
            decrypt_reply(aws, r.get_data(as_text=True), args)
        )
    else:  # WeChat sends no encrypted push to a plain-mode account: refused, not decrypted
        assert code(r) == (403, "oa_mode_mismatch")


def test_safe_mode__plain_push_of_a_follower_refused_and_nothing_of_theirs_answered(
    oa_client, aws, login
):
    login("oa-safe")
    r = post(oa_client("safe"), *plain(aws, text_xml(oa_openid_for("oa-safe"), "碳币")))
    assert code(r) == (403, "oa_mode_mismatch") and "碳币余额" not in r.get_data(as_text=True)


def test_compatible__encrypted_push_read_from_its_ciphertext_not_the_plain_copy(oa_client, aws):
    args, body = encrypted(aws, text_xml(oa_openid_for("adm"), "帮助"))
    # WeChat's compatible mode puts a plain copy beside <Encrypt>; it is not signed, so it is ignored.
    body = body.replace(
        "<xml>",
        "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event>",
        1,
    )
    r = post(oa_client("compatible"), args, body)
    assert r.status_code == 200 and "回复“碳币”" in reply_content(
        decrypt_reply(aws, r.get_data(as_text=True), args)
    )


def test_unknown_encrypt_type__400(client, aws):
    args, body = plain(aws)
    assert code(post(client, {**args, "encrypt_type": "des"}, body)) == (400, "invalid_request")


@pytest.mark.parametrize("skew", [-301, 301, -100_000, 10**9])
@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_stale_or_future_timestamp__403_oa_push_stale(client, aws, skew, safe):
    ts = str(max(0, int(time.time()) + skew))
    args, body = (encrypted if safe else plain)(aws, timestamp=ts)
    assert code(post(client, args, body)) == (403, "oa_push_stale")


@pytest.mark.parametrize("ts", ["", "１７００００００００", "17e8", "-5", "9" * 30])
def test_odd_timestamp_correctly_signed__403_never_500(client, aws, ts):
    args, body = plain(aws)
    args["timestamp"] = ts
    args["signature"] = hashlib.sha1(
        "".join(sorted([aws.oa_token, ts, args["nonce"]])).encode()
    ).hexdigest()
    assert code(post(client, args, body)) == (403, "oa_push_stale")


def test_timestamp_within_window__taken(client, aws):
    args, body = plain(aws, timestamp=str(int(time.time()) - 290))
    assert post(client, args, body).status_code == 200


def test_url_check_stale__403(client, aws):
    args = signed_args(aws, timestamp=str(int(time.time()) - 400))
    r = client.get(OA_PATH, query_string={**args, "echostr": "4821337"})
    assert code(r) == (403, "oa_push_stale") and "4821337" not in r.get_data(as_text=True)


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_replay_of_the_same_signed_push__403_oa_push_replayed(client, aws, login, safe):
    login("oa-replay")
    args, body = (encrypted if safe else plain)(aws, text_xml(oa_openid_for("oa-replay"), "碳币"))
    assert post(client, args, body).status_code == 200
    again = post(client, args, body)
    assert code(again) == (403, "oa_push_replayed") and "碳币余额" not in again.get_data(
        as_text=True
    )
    other = post(
        client, *(encrypted if safe else plain)(aws)
    )  # a new push (new nonce) still goes through
    assert other.status_code == 200


def test_replay_with_another_body__refused(client, aws):
    args, body = plain(aws)
    assert post(client, args, body).status_code == 200
    r = post(client, args, text_xml(oa_openid_for("someone-else"), "碳币"))
    assert code(r) == (403, "oa_push_replayed")


def test_same_nonce_other_second__both_taken(client, aws):
    now = int(time.time())
    for ts in (now - 1, now):
        assert post(client, *plain(aws, nonce="1234567", timestamp=str(ts))).status_code == 200


def test_refused_push_does_not_burn_its_nonce(client, aws):
    args, body = plain(aws)
    assert post(client, {**args, "signature": "0" * 40}, body).status_code == 403
    assert post(client, args, body).status_code == 200


NESTED = {
    "content": "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content><a>x</a></Content><MsgId>1</MsgId></xml>",
    "from": "<xml><ToUserName>gh</ToUserName><FromUserName><a>o</a></FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>碳币</Content></xml>",
    "to": "<xml><ToUserName><x>gh</x></ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>帮助</Content></xml>",
    "event-key": "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>event</MsgType><Event>CLICK</Event><EventKey><b/></EventKey></xml>",
    "event": "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>event</MsgType><Event><e>1</e></Event></xml>",
    "msg-type": "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType><t/></MsgType></xml>",
    "repeated": "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>碳币</Content><Content>x</Content></xml>",
    "no-from": "<xml><ToUserName>gh</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
    "<Content>碳币</Content></xml>",
    "text-root": "<xml>碳币</xml>",
    "empty": "",
}


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
@pytest.mark.parametrize("name", NESTED)
def test_element_nested_or_repeated_where_text_is_expected__400(client, aws, name, safe):
    r = post(client, *(encrypted if safe else plain)(aws, NESTED[name]))
    assert code(r) == (400, "invalid_request"), r.data


def test_nested_elements_wechat_sends__still_answered(client, aws):
    """Menu events such as scancode_push nest ScanCodeInfo: only the fields read must be text."""
    xml = (
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>event</MsgType><Event>scancode_push</Event><EventKey>6</EventKey>"
        "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo></xml>"
    )
    assert post(client, *plain(aws, xml)).status_code == 200


# Tencent's reference sample (WXBizMsgCrypt, 消息加解密 sample data): its encrypted push opens here, and
# the reply decrypts with the same scheme. Its timestamp is from 2014, so `now` is set to it.
SAMPLE = {
    "token": "spamtest",
    "appid": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669",
    "nonce": "1320562132",
    "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    "encrypt": (
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2L"
        "dJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6u"
        "x5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJ"
        "pXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCz"
        "pu9GhglF2PE="
    ),
}


def test_reference_sample_push__opened_once_then_replayed_and_stale_later(aws):
    from core.citizens import official_account
    from core.errors import ApiError
    from gateways.wechat_oa import OfficialAccountGateway
    from tests.support.oa import signature

    s = aws.with_(oa_message_mode="safe", oa_token=SAMPLE["token"], oa_appid=SAMPLE["appid"])
    oa = OfficialAccountGateway(
        s.oa_appid, s.oa_secret, s.oa_token, s.oa_aes_key, s.wechat_api_base
    )
    args = {
        "signature": signature(s.oa_token, SAMPLE["timestamp"], SAMPLE["nonce"]),
        "timestamp": SAMPLE["timestamp"],
        "nonce": SAMPLE["nonce"],
        "encrypt_type": "aes",
        "msg_signature": SAMPLE["msg_signature"],
    }
    body = f"<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{SAMPLE['encrypt']}]]></Encrypt></xml>"
    now = int(SAMPLE["timestamp"]) + 5

    opened = official_account.open_push(s, oa, args, body.encode(), now)

    assert (opened.message.type, opened.message.content) == ("text", "abcdteT")
    assert opened.message.source == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    reply = opened.reply_xml("好的")
    assert reply_content(decrypt_reply(s, reply, args)) == "好的"
    codes = []
    for at in (now, now + 400):  # posted again: a replay; later: stale
        with pytest.raises(ApiError) as e:
            official_account.open_push(s, oa, args, body.encode(), at)
        codes.append(e.value.code)
    assert codes == ["oa_push_replayed", "oa_push_stale"]
