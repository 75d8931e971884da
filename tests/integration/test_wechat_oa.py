"""The official account's server URL: signatures in plain and safe mode, and the replies."""

import pytest

from infra.sim_wechat import oa_openid_for
from tests.support.oa import (
    OA_PATH,
    decrypt_reply,
    encrypt,
    event_xml,
    reply_content,
    signed_args,
    text_xml,
)

pytestmark = pytest.mark.usefixtures("wechat_sim")  # the OA looks followers up in WeChat


def push(client, aws, xml, safe=False, bad=False):
    args = signed_args(aws, bad=bad)
    if safe:
        args, xml = encrypt(aws, xml, args)
    r = client.post(OA_PATH, query_string=args, data=xml.encode(), content_type="text/xml")
    if r.status_code != 200 or r.get_data(as_text=True) == "success":
        return r, None
    body = r.get_data(as_text=True)
    return r, reply_content(decrypt_reply(aws, body, args) if safe else body)


def test_oa__url_verification__echoes_echostr(client, aws):
    r = client.get(OA_PATH, query_string={**signed_args(aws), "echostr": "4821337"})
    assert r.status_code == 200 and r.get_data(as_text=True) == "4821337"


def test_oa__url_verification_bad_signature__403_json(client, aws):
    r = client.get(OA_PATH, query_string={**signed_args(aws, bad=True), "echostr": "4821337"})
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    assert "4821337" not in r.get_data(as_text=True)


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_oa__push_bad_signature__403(client, aws, safe):
    r, _ = push(client, aws, text_xml(oa_openid_for("x"), "帮助"), safe=safe, bad=True)
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_oa__safe_mode_bad_msg_signature__403(client, aws):
    args, body = encrypt(
        aws, text_xml(oa_openid_for("x"), "帮助"), signed_args(aws), bad_msg_signature=True
    )
    r = client.post(OA_PATH, query_string=args, data=body.encode(), content_type="text/xml")
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_oa__push_without_any_signature__403(client, aws):
    r = client.post(
        OA_PATH, data=text_xml(oa_openid_for("x"), "帮助").encode(), content_type="text/xml"
    )
    assert r.status_code == 403


def test_oa__signed_garbage__400(client, aws):
    r = client.post(
        OA_PATH, query_string=signed_args(aws), data=b"<not-xml", content_type="text/xml"
    )
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_oa__subscribe__welcome_with_miniprogram_link(client, aws, safe):
    r, text = push(client, aws, event_xml(oa_openid_for("newbie"), "subscribe"), safe=safe)
    assert r.status_code == 200 and "欢迎关注" in text
    assert f'data-miniprogram-appid="{aws.wechat_appid}"' in text


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_oa__help_keyword__help_text(client, aws, safe):
    r, text = push(client, aws, text_xml(oa_openid_for("x"), "帮助"), safe=safe)
    assert r.status_code == 200 and "回复“碳币”" in text


def test_oa__unknown_text__help_text(client, aws):
    _, text = push(client, aws, text_xml(oa_openid_for("x"), "今天天气怎么样"))
    assert "回复“碳币”" in text


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
def test_oa__balance_keyword_linked_user__their_balance(client, aws, login, safe):
    from tests.support.mall import give_coins

    _, user = login("oa-linked")
    give_coins(user["id"], 42)
    r, text = push(client, aws, text_xml(oa_openid_for("oa-linked"), "我的碳币"), safe=safe)
    assert r.status_code == 200 and "42" in text
    assert oa_openid_for("oa-linked") not in text


def test_oa__balance_keyword_not_linked__how_to_bind(client, aws):
    _, text = push(client, aws, text_xml(oa_openid_for("stranger"), "余额"))
    assert "还没有找到您的碳普惠账户" in text


def test_oa__menu_click_balance__balance(client, aws, login):
    login("oa-menu")
    _, text = push(client, aws, event_xml(oa_openid_for("oa-menu"), "CLICK", "BALANCE"))
    assert "碳币余额为 0" in text


def test_oa__menu_click_help__help(client, aws):
    _, text = push(client, aws, event_xml(oa_openid_for("x"), "CLICK", "HELP"))
    assert "回复“碳币”" in text


def test_oa__unsubscribe__success_without_reply(client, aws):
    r, text = push(client, aws, event_xml(oa_openid_for("x"), "unsubscribe"))
    assert r.status_code == 200 and r.get_data(as_text=True) == "success" and text is None


def test_oa__reply__addressed_to_the_follower(client, aws):
    import xmltodict

    args = signed_args(aws)
    r = client.post(OA_PATH, query_string=args, data=text_xml(oa_openid_for("y"), "帮助").encode())
    reply = xmltodict.parse(r.get_data(as_text=True))["xml"]
    assert reply["ToUserName"] == oa_openid_for("y") and reply["MsgType"] == "text"


def test_oa__no_openid_in_logs(client, aws, login, capsys):
    login("oa-private")
    capsys.readouterr()
    push(client, aws, text_xml(oa_openid_for("oa-private"), "碳币"))
    out = capsys.readouterr().out
    assert oa_openid_for("oa-private") not in out and '"route":"/wechat/oa"' in out


def test_oa__app_start__does_not_import_wechatpy():
    """A push must be answered within 5 s, cold start included: wechatpy loads only when used."""
    import subprocess
    import sys

    code = (
        "import sys; from core import settings; from miniprogram_api import create_app; "
        "create_app(settings.Settings(stage='test')); print(sorted(m for m in sys.modules if 'wechatpy' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_oa__wechat_lookup_down__answers_try_later_and_logs_no_openid(app, client, aws, capsys):
    from core.errors import UpstreamError
    from gateways.wechat_oa import OfficialAccountGateway

    class UnreachableOA(OfficialAccountGateway):
        def unionid(self, oa_openid):
            raise UpstreamError("WeChat user lookup failed") from TimeoutError()

    s = aws
    app.extensions["tanpuhui"].gateways.__dict__["oa"] = UnreachableOA(
        s.oa_appid, s.oa_secret, s.oa_token, s.oa_aes_key, s.wechat_api_base
    )
    capsys.readouterr()
    r, text = push(client, aws, text_xml(oa_openid_for("z"), "碳币"))
    out = capsys.readouterr().out
    assert r.status_code == 200 and "稍后再试" in text
    assert '"event":"oa_lookup_failed"' in out and oa_openid_for("z") not in out


@pytest.mark.parametrize(
    "ciphertext",
    ["", "AAAAAAAAAAAAAAAAAAAAAA==", "A" * 44, "%%%%"],
    ids=["empty", "one-zero-block", "zero-blocks", "not-base64"],
)
def test_oa__safe_mode_malformed_ciphertext_correctly_signed__400(client, aws, ciphertext):
    import hashlib

    args = signed_args(aws)
    msg_sig = hashlib.sha1(
        "".join(sorted([aws.oa_token, args["timestamp"], args["nonce"], ciphertext])).encode()
    )
    body = f"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    r = client.post(
        OA_PATH,
        query_string={**args, "encrypt_type": "aes", "msg_signature": msg_sig.hexdigest()},
        data=body.encode(),
        content_type="text/xml",
    )
    assert r.status_code in (400, 403) and r.json["error"]["code"] in (
        "invalid_request",
        "forbidden",
    ), r.data
