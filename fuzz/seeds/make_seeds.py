#!/usr/bin/env python3
"""Writes fuzz/seeds/sse/ and fuzz/seeds/responses/ (committed; rerun after editing this file).

The SSE seeds are event streams from /work/shared/api-reference.md sections 6 and 8 plus edge
cases; the response seeds are the error bodies of section 4 and the completion of section 8, with
headers. Each file starts with the target's control bytes (see fuzz/README.md).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# SSE control: byte 0 = limit index (bits 0-2) | owned (bit 3) | stop-at (bits 4-7);
# byte 1 = number of split points, then u16 LE offsets.
LIMITS = [0, 1, 7, 16, 40, 300, 4096, 1 << 24]


def sse(limit_index, stream, splits=(), owned=False, stop_at=0):
    head = bytes([limit_index | (8 if owned else 0) | (stop_at << 4), len(splits)])
    return head + b"".join(struct.pack("<H", s) for s in splits) + stream


COMPLETION_STREAM = (
    b'event: completion\n'
    b'data: {"type":"completion","completion":" Hello","stop_reason":null,"model":"claude-2.1"}\n\n'
    b'event: ping\n'
    b'data: {"type":"ping"}\n\n'
    b'event: completion\n'
    b'data: {"type":"completion","completion":"! My name is Claude.","stop_reason":null,"model":"claude-2.1"}\n\n'
    b'event: completion\n'
    b'data: {"type":"completion","completion":"","stop_reason":"stop_sequence","model":"claude-2.1"}\n\n'
)
ERROR_STREAM = (
    b'event: completion\n'
    b'data: {"type":"completion","completion":" Hi","stop_reason":null,"model":"claude-2.1"}\n\n'
    b'event: error\n'
    b'data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'
)

SSE = {
    "api-reference-8-stream": sse(6, COMPLETION_STREAM, splits=(5, 17, 18, 100, 101, 200)),
    "api-reference-6-error-event": sse(6, ERROR_STREAM, stop_at=2),
    "crlf": sse(6, COMPLETION_STREAM.replace(b"\n", b"\r\n"), splits=(18, 19)),
    "cr-only": sse(6, COMPLETION_STREAM.replace(b"\n", b"\r"), owned=True),
    "bom-split": sse(4, b"\xef\xbb\xbfdata: x\n\n\xef\xbb\xbfdata: y\n\n", splits=(1, 2, 3)),
    "comments": sse(5, b":hello\n: world\ndata: x\n:mid\n\n: only a comment\n\n"),
    "no-trailing-blank-line": sse(5, b"data: a\n\ndata: b\n"),
    "unterminated": sse(5, b"data: a\n\nevent: completion\ndata: unterminated"),
    "multi-line-data": sse(5, b"data: a\ndata: b\ndata\ndata:  c\ndata:d\n\n"),
    "fields": sse(5, b"id: 7\nretry: 1500\nevent:\nfoo: bar\ndata: x\n\nid: a\x00b\nretry: 12x\nid\ndata: y\n\nretry: 99999999999999999999999\n"),
    "mixed-endings": sse(
        5,
        "\ufeffevent: completion\r\ndata: {\"completion\":\" Hé\"}\r\n\r\n: keep-alive\n\nevent: ping\rdata: {\"type\":\"ping\"}\r\revent: completion\ndata: line1\ndata:line2\ndata:  two spaces\n\ndata: 😀 emoji\n\n".encode(),
        splits=(1, 2, 40, 41, 120, 121, 122),
    ),
    "utf8-split": sse(5, "data: é😀\n\n".encode(), splits=(7, 9, 10, 11)),
    "utf8-invalid": sse(5, b"data: ok\n\ndata: \xf0\x9f\x98\n\n", splits=(17,)),
    "too-large": sse(3, b"data: 0123456789\ndata: 0123456789\n\n", splits=(8,)),
    "too-large-event-type": sse(3, b"event: 0123456789\ndata\ndata\nevent: x\ndata: y\n\n"),
    "empty-data-resets-type": sse(5, b"event: x\n\ndata: y\n\n"),
    "limit-zero": sse(0, b"\n\n\r\n\r"),
}

# Responses control: byte 0 = flags (bit 0: the bare API description), bytes 1-2 = status u16 LE
# (status = 100 + v % 900), byte 3 = header count, then (name index, u16 LE length, value) per
# header:
NAMES = ["request-id", "x-should-retry", "retry-after", "retry-after-ms", "link", "content-type", "x-request-id"]


def resp(status, headers, body, bare=False):
    out = bytes([1 if bare else 0]) + struct.pack("<H", status - 100) + bytes([len(headers)])
    for name, value in headers:
        out += bytes([NAMES.index(name)]) + struct.pack("<H", len(value)) + value
    return out + body


def envelope(kind, message, request_id=None):
    rid = "" if request_id is None else f',"request_id":"{request_id}"'
    return f'{{"type":"error","error":{{"type":"{kind}","message":"{message}"}}{rid}}}'.encode()


JSON = [("content-type", b"application/json")]
RESPONSES = {
    "completion-200": resp(
        200,
        JSON + [("request-id", b"req_011CPx8sM3tW7yZ2fA9bQe4d")],
        b'{"type":"completion","id":"compl_018CKm6gsux7P8yMcwZbeCPw","completion":" Hello! My name is Claude.","stop_reason":"stop_sequence","model":"claude-2.1"}',
    ),
    "error-400": resp(400, JSON + [("request-id", b"req_1")], envelope("invalid_request_error", "prompt: field required", "req_1")),
    "error-401": resp(401, JSON, envelope("authentication_error", "invalid x-api-key")),
    "error-403": resp(403, JSON, envelope("permission_error", "no access")),
    "error-404": resp(404, JSON, envelope("not_found_error", "nope", "req_body")),
    "error-413": resp(413, JSON, envelope("request_too_large", "Request exceeds the maximum allowed number of bytes.")),
    "error-429": resp(429, JSON + [("retry-after", b"3"), ("retry-after-ms", b"2500.5"), ("x-should-retry", b"true")], envelope("rate_limit_error", "Rate limited")),
    "error-500": resp(500, JSON + [("x-should-retry", b" FALSE ")], envelope("api_error", "Internal server error", None)),
    "error-529": resp(529, JSON + [("retry-after", b"Wed, 21 Oct 2015 07:28:00 GMT")], envelope("overloaded_error", "Overloaded")),
    "error-billing": resp(402, JSON, envelope("billing_error", "credit balance too low")),
    "error-null-request-id": resp(408, JSON, b'{"type":"error","error":{"type":"timeout_error","message":"timed out"},"request_id":null}'),
    "error-unknown-type-extra": resp(418, JSON, b'{"type":"mistake","error":{"type":"new_kind","message":"","detail":[1,2.5e300,{"x":null}]},"request_id":"","more":true}'),
    "error-html-502": resp(502, [("content-type", b"text/html")], b"<html>\n<b>bad gateway</b>\n</html>\n"),
    "error-empty-599": resp(599, [], b""),
    "error-invalid-utf8-request-id": resp(400, [("request-id", b"req_\xff\xfe"), ("request-id", b"second")], envelope("invalid_request_error", "bad", "req_from_body")),
    "error-bare-api": resp(503, [("request-id", b"req_h"), ("x-should-retry", b"false")], envelope("api_error", "down", "req_b"), bare=True),
    "link-next": resp(
        200,
        JSON + [("link", b'<https://api.example.com/items?page=1>; rel="prev", <https://api.example.com/items?page=3>; rel="next last"'), ("link", b'<x>; rel=next')],
        b'<https://api.example.com/a>; title="a, \\"b\\""; rel=next',
    ),
    "thing": resp(200, JSON, b'{"type":"thing","note":null,"count":3,"level":"high","kind":"k","ratio":0.1,"version":2,"on":true,"closed":{"name":"n","size":-1},"shape":{"type":"square","deleted":true},"other":[1,"x"]}'),
    "thing-absent": resp(200, JSON, b'{"shape":{"type":"circle","radius":1e-3}}'),
    "const-values": resp(200, JSON, b'[-1, 2, 2.5, 0.0, -0, true, null, "completion", ""]'),
}


def write(folder, seeds):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(HERE, folder, name), "wb") as f:
            f.write(data)


write("sse", SSE)
write("responses", RESPONSES)
