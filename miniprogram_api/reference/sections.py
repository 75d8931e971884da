"""The texts that open the document's sections: the citizen login flow, the partner request
signature (a worked example anyone can reproduce; tests/integration/test_api_reference.py recomputes it
with core.carbon.partners.signature) and the organisation key. Markdown, as /docs renders it."""

# The worked partner signature: every input and the result, fixed so a partner can check their code.
SIGNATURE_EXAMPLE = {
    "secret": "demo-partner-secret",
    "method": "POST",
    "path": "/partner/v1/links",
    "timestamp": "1796601600",
    "nonce": "3f9c2a7d5e1b4c60",
    "body": '{"link_code":"K7M2Q9XW4T","partner_user_ref":"u-1001"}',
    "signature": "9c14018915c96421742741c60962abfb28628751884e7798249d60ba3b16975f",
}

_S = SIGNATURE_EXAMPLE

LOGIN_FLOW = """市民（小程序）接口，前缀 `/api/v1`。

**登录流程**

1. 小程序调用 `wx.login()`，得到一次性的 `code`（5 分钟内有效，只能用一次）。
2. `POST /api/v1/auth/login`，请求体 `{"code": "<code>"}`。服务端向微信换取 openid（openid 与 session_key
   从不出现在任何响应中），首次登录即建立账户。
3. 响应 `{"token": "...", "expires_in": 604800, "user": {...}}`：`token` 是 Bearer 令牌，
   `expires_in` 秒（默认 7 天）后失效。此后每个请求带请求头 `Authorization: Bearer <token>`。
4. 任何接口返回 **401**（`code` 为 `unauthorized`）表示令牌缺失、无效、已过期或已被撤销
   （在所有设备上退出、注销账户）：丢弃令牌，重新执行第 1-2 步，再重试原请求。401 从不表示其他含义；
   手机号授权码无效等是 422，市民仍保持登录。`wechat_code_invalid`（401）表示 `code` 已用过或过期：重新 `wx.login()`。

错误响应统一为 `{"error": {"code", "message", "request_id"}}`：`code` 稳定，可据此分支；`message`
默认简体中文，请求头 `Accept-Language: en` 时为英文。每个接口可能返回的错误码列在其响应说明中。"""

PARTNER_SIGNATURE = f"""合作方接口，前缀 `/partner/v1`。每个请求都要签名。

**签名**：请求头 `X-Partner-Id`（合作方 id）、`X-Timestamp`（Unix 秒，与服务器时间相差不超过 300 秒）、
`X-Nonce`（8-64 个字符，每个请求一个新值，不可重用）、`X-Signature` =
hex(HMAC-SHA256(secret, METHOD + "\\n" + PATH + "\\n" + TIMESTAMP + "\\n" + NONCE + "\\n" + BODY))。
BODY 是请求体的原始字节（签名的字节必须就是发送的字节）；PATH 不含主机与查询串。
签名错误、时间戳超出范围或 nonce 重用：401 `unauthorized`。

**示例**（可用任何语言复算）：secret = `{_S["secret"]}`，请求 `{_S["method"]} {_S["path"]}`，
X-Timestamp = `{_S["timestamp"]}`，X-Nonce = `{_S["nonce"]}`，请求体 = `{_S["body"]}`。被签名的字符串（`\\n` 为换行符）：

```
{_S["method"]}\\n{_S["path"]}\\n{_S["timestamp"]}\\n{_S["nonce"]}\\n{_S["body"]}
```

得到请求头：

```
X-Partner-Id: <你的合作方 id>
X-Timestamp: {_S["timestamp"]}
X-Nonce: {_S["nonce"]}
X-Signature: {_S["signature"]}
```

在命令行复算：`printf 'POST\\n/partner/v1/links\\n{_S["timestamp"]}\\n{_S["nonce"]}\\n{_S["body"]}' | openssl dgst -sha256 -hmac {_S["secret"]}`。
Python：`hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()`。"""

ORG_KEY = """机构接口，前缀 `/org/v1`。

**认证**：机构请求不签名，使用平台运营方以 `tanpuhui org add NAME --types T,T` 签发的机构密钥（打印为 `key=`），
每个请求带请求头 `Authorization: Bearer <机构密钥>`。例如密钥为 `ok_demo_5f2c9a`，请求头即
`Authorization: Bearer ok_demo_5f2c9a`。服务端只保存密钥的 SHA-256，密钥丢失需重新签发；
密钥缺失、错误或已吊销：401 `unauthorized`。"""

MERCHANT = """商户（收银扫码）接口，前缀 `/merchant/v1`。每个请求带 `Authorization: Bearer <商户密钥>`
（运营方以 `tanpuhui merchant key ID` 签发，只显示一次）；缺失或错误：401 `unauthorized`。"""

PUBLIC = """公开透明日志，无需登录：每笔碳币账目按 RFC 6962 写入只追加的默克尔树，树头以 Ed25519 签名。"""

# Tag -> the text that opens its section in /docs (a tag not named here gets none).
TAGS = {
    "auth": LOGIN_FLOW,
    "merchant": MERCHANT,
    "partner": PARTNER_SIGNATURE,
    "org": ORG_KEY,
    "transparency": PUBLIC,
}
