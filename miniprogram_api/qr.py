"""The order's QR image, drawn at the API edge from the code core returns (core never draws)."""

import io


def qr_svg(code: str) -> str:
    import segno  # only requests that show an issued order pay for the import

    buf = io.BytesIO()
    segno.make_qr(code, error="m").save(buf, kind="svg", xmldecl=False, scale=4, border=2)
    return buf.getvalue().decode()


def with_qr(view: dict) -> dict:
    """An owner's order view with `qr_svg`: the code as a QR while the order can still be redeemed."""
    return {
        **view,
        "qr_svg": qr_svg(view["code"]) if view["status"] == "issued" and view.get("code") else None,
    }
