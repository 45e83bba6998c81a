#!/usr/bin/env python3
"""Writes starting inputs for a fuzz target into a folder: valid requests and the bad-request corpus."""
import os, re, sys

target, out = sys.argv[1], sys.argv[2]
corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Zones.Tests", "Corpus", "bad-requests")


def decode(text):
    text = text.replace("\n", "")
    text = re.sub(r"\{(.)\*(\d+)\}", lambda m: m.group(1) * min(int(m.group(2)), 2000), text)
    out, i = bytearray(), 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(ord(c)); i += 1; continue
        e = text[i + 1]
        if e == "x":
            out.append(int(text[i + 2:i + 4], 16)); i += 4; continue
        out.append({"r": 13, "n": 10, "t": 9, "0": 0, "\\": 92}[e]); i += 2
    return bytes(out)


seeds = []
if target == "head":
    seeds += [b"\x05GET / HTTP/1.1\r\nHost: t\r\n\r\n",
              b"\x10POST /a?b=c HTTP/1.1\r\nHost: x:80\r\nContent-Length: 3\r\nAccept-Encoding: gzip;q=0.5, br\r\n\r\n"]
    for name in sorted(os.listdir(corpus)):
        body = open(os.path.join(corpus, name), encoding="latin-1").read().split("\n---\n", 1)[1]
        data = decode(body)
        if len(data) < 4096:
            seeds.append(b"\x07" + data)
            seeds.append(b"\x87" + data)  # the same with the tight limits (64-byte request line)
    # Over-long request lines under the tight limits: the method, the target or the version to blame.
    seeds += [b"\x87" + b"G" * 100 + b" / HTTP/1.1\r\nHost: t\r\n\r\n", b"\x87" + b"G" * 70,
              b"\x87GET /" + b"a" * 100 + b" HTTP/1.1\r\nHost: t\r\n\r\n", b"\x99GET /" + b"a" * 70,
              b"\x87GET / HTTP/1.1" + b"x" * 70 + b"\r\nHost: t\r\n\r\n", b"\x87G(T /" + b"a" * 70 + b" HTTP/1.1\r\n\r\n",
              b"\x87" + b"G" * 30 + b" /" + b"a" * 40 + b" HTTP/1.1\r\nHost: t\r\n\r\n"]
elif target == "wshandshake":
    base = b"GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    for extra in [b"", b"Origin: http://example.com\r\n", b"Sec-WebSocket-Protocol: chat, superchat\r\n",
                  b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
                  b"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; server_no_context_takeover, permessage-deflate\r\n",
                  b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=8; client_no_context_takeover\r\n",
                  b"Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 8\r\n"]:
        seeds.append(base + extra + b"\r\n")
elif target == "chunked":
    seeds += [b"\x035\r\nhello\r\n0\r\n\r\n", b"\x013;ext=1\r\nabc\r\n0\r\nX-T: y\r\n\r\n",
              b"\x09A\r\n0123456789\r\n1\r\nz\r\n0\r\n\r\n", b"\x020;a=\"q\"\r\n\r\n"]
    # The chunk-extension grammar (RFC 9112 7.1.1): BWS around ";" and "=", tokens, quoted strings
    # with quoted-pairs and obs-text, many extensions, leading zeros, and the near misses.
    seeds += [b"\x035 ; a = b ;\tc\t=\t\"q v\";d\r\nhello\r\n0 ;last\r\n\r\n",
              b'\x025;a="x\\"y\\\\z";b="";c="\xe9\xff"\r\nhello\r\n0\r\n\r\n',
              b"\x05" + b"1;a=1;b=2;c=3;d\r\nz\r\n" * 3 + b'0;e="x;y=z"\r\nT: v\r\nU:w\r\n\r\n',
              b"\x0600005\r\nhello\r\n000;x\r\n\r\n",
              b"\x0b5;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~\r\nhello\r\n0\r\n\r\n",
              b"\x015;\r\nhello\r\n0\r\n\r\n", b"\x015 \r\nhello\r\n0\r\n\r\n", b"\x015;bad[=x\r\nhello\r\n0\r\n\r\n",
              b'\x015;a="unterminated\r\nhello\r\n0\r\n\r\n', b"\x015;a=b \r\nhello\r\n0\r\n\r\n",
              b"\x010\r\nno-colon\r\n\r\n"]
    # The chunked bodies of the bad-request corpus, after their heads.
    for name in sorted(os.listdir(corpus)):
        body = open(os.path.join(corpus, name), encoding="latin-1").read().split("\n---\n", 1)[1]
        data = decode(body)
        if b"chunked\r\n\r\n" in data and len(data) < 4096:
            seeds.append(b"\x04" + data.split(b"\r\n\r\n", 1)[1])
for i, s in enumerate(seeds):
    with open(os.path.join(out, f"seed-{i:03d}"), "wb") as f:
        f.write(s)
