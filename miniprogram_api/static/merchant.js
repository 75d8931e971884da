// The merchant page's script: a file, not inline, so the page's CSP allows no inline script.
const REASONS = {
  code_unknown: "券码不存在，请核对后重试",
  code_redeemed: "该券已核销，不能重复使用",
  code_expired: "该券已过期",
  code_not_yours: "不是本店的券，请顾客到对应商户使用",
  rate_limited: "尝试过多，请稍后再试",
  unauthorized: "商户密钥无效或已停用，请重新登录",
  invalid_request: "券码格式不正确",
};
const $ = (id) => document.getElementById(id);
// Server text (product names come from merchants) goes into innerHTML only escaped.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function show(ok, html) { const r = $("result"); r.className = ok ? "ok" : "fail"; r.innerHTML = html; }
function signedIn() { $("signin").hidden = true; $("redeem").hidden = false; $("today").hidden = false; $("code").focus(); loadToday(); }
function signedOut() { sessionStorage.removeItem("merchantKey"); $("signin").hidden = false; $("redeem").hidden = true; $("today").hidden = true; }
const yuan = (fen) => (fen / 100).toFixed(2);
// Today in Asia/Shanghai (the API's days), whatever the till's own time zone.
const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
async function loadToday() {
  const day = today();
  const res = await fetch("/merchant/v1/redemptions?date=" + day,
    { headers: { "Authorization": "Bearer " + sessionStorage.getItem("merchantKey") } });
  if (res.status === 401) { signedOut(); return; }
  if (!res.ok) return;
  const body = await res.json();
  $("today-date").textContent = day;
  $("today-rows").innerHTML = body.items.slice().reverse().map((r) => {
    const t = new Date(r.redeemed_at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
    return `<tr><td>${esc(t)}</td><td>${esc(r.product.name)}</td><td class="num">${r.quantity}</td><td class="num">${r.coins}</td><td class="num">${yuan(r.cash_fen)}</td></tr>`;
  }).join("") || '<tr><td colspan="5"><small>今天还没有核销记录</small></td></tr>';
  const t = body.totals;
  $("today-totals").textContent = `合计 ${t.count} 笔 · ${t.quantity} 件 · ${t.coins} 碳币 · 现金 ${yuan(t.cash_fen)} 元`;
}
if (sessionStorage.getItem("merchantKey")) signedIn();
$("save-key").onclick = () => { const k = $("key").value.trim(); if (k) { sessionStorage.setItem("merchantKey", k); $("key").value = ""; signedIn(); } };
// One Idempotency-Key per code until it is answered: scanning again after a lost answer is a retry
// of the same redemption (200, the same body), not a second scan (409 code_redeemed).
const keys = {};
function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);
}
async function redeem(code) {
  const key = keys[code] || (keys[code] = newKey());
  let res;
  try {
    res = await fetch("/merchant/v1/redemptions", { method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key,
        "Authorization": "Bearer " + sessionStorage.getItem("merchantKey") },
      body: JSON.stringify({ code }) });
  } catch (e) {
    show(false, '<span class="mark">✗</span>网络异常，请再次提交同一券码（不会重复核销）');
    return;
  }
  if (res.status < 500) delete keys[code];  // a 5xx may have redeemed it: the next try retries
  const body = await res.json().catch(() => ({}));
  if (res.ok) {
    const t = new Date(body.redeemed_at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
    show(true, `<span class="mark">✓</span>核销成功<br>${esc(body.product.name)} × ${body.quantity}<br><small>${t} · 订单 ${esc(body.order_id)}</small>`);
    $("code").value = "";
    loadToday();
  } else {
    const code = body.error && body.error.code;
    show(false, '<span class="mark">✗</span>' + (REASONS[code] || "核销失败，请重试") + (code ? `<br><small>${esc(code)}</small>` : ""));
    if (code === "unauthorized") signedOut();
  }
}
$("submit").onclick = () => { const c = $("code").value.trim(); if (c) redeem(c); };
$("code").addEventListener("keydown", (e) => { if (e.key === "Enter") $("submit").click(); });
$("scan").onclick = async () => {
  if (!("BarcodeDetector" in window)) { show(false, "此浏览器不支持扫码，请手动输入券码"); return; }
  const video = $("camera");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream; video.style.display = "block"; await video.play();
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const tick = async () => {
    const found = await detector.detect(video).catch(() => []);
    if (found.length) { stream.getTracks().forEach((t) => t.stop()); video.style.display = "none"; redeem(found[0].rawValue); }
    else requestAnimationFrame(tick);
  };
  tick();
};
