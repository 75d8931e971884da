"""A big trip file in byte ranges: each range is a work unit on the queue, ingested by its
own worker invocation, so no invocation meets Lambda's 900 s limit whatever the file's size.

A range [start, end) owns every line whose first byte lies in it: the reader starts one
byte early to learn whether `start` begins a line, and reads on past `end` only to finish
the last line it owns. Every line of the file belongs to exactly one range. A range run
twice (SQS redelivery, a retry after a cut-off) changes nothing: trip ids are stored once.
"""

from __future__ import annotations

CHUNK_BYTES = 1 << 20


def ranges(size: int, range_bytes: int) -> list[tuple[int, int]]:
    return [(s, min(s + range_bytes, size)) for s in range(0, size, range_bytes)] or [(0, 0)]


def lines_in_range(s3, bucket: str, key: str, start: int, end: int):
    """Yield (offset after the line, decoded line) for the lines that start in [start, end),
    streamed, never read whole. The offset after a line is where a resumed range starts."""
    if start >= end:
        return
    first = max(start - 1, 0)
    body = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={first}-")["Body"]
    try:
        pos, pending = first, b""  # pos: the file offset of pending's first byte
        skip = start > 0  # from start-1 to the first newline: the end of the previous range's line
        for chunk in body.iter_chunks(CHUNK_BYTES):
            buf, i = pending + chunk, 0
            while (nl := buf.find(b"\n", i)) >= 0:
                line_at, line, i = pos + i, buf[i : nl + 1], nl + 1
                if skip:
                    skip = False
                elif line_at >= end:
                    return
                else:
                    yield pos + i, _text(line, line_at)
            pos, pending = pos + i, buf[i:]
        if pending and not skip and pos < end:
            yield pos + len(pending), _text(pending, pos)  # a last line without a newline
    finally:
        body.close()


def _text(line: bytes, at: int) -> str:
    text = line.decode("utf-8")
    return text.lstrip("\ufeff") if at == 0 else text
