"""A kept page compressed once, around its holes: serving it compresses nothing but the few bytes filled in.

Compressing a kept page is most of what serving it costs (the phone form: 0.2 ms of 1.1 ms per answer), and the
page is the same for every visitor but for its holes (the CSRF token, a form's one-use token). So the page is
kept as its parts: each stretch of text between two holes deflated on its own, from a fresh compressor and up to
a byte boundary (no stretch refers back into another), and each hole's name. An answer is the gzip header, the
deflated stretches as they are, each hole's value as a stored (uncompressed) deflate block, an empty final block
and the trailer: the checksum over the text and the values, and the length. RFC 1951 §3.2.4 (stored blocks),
RFC 1952 (the gzip member).

Against BREACH the values are never compressed with the page (a stored block leaks nothing of them), and as in
portal/compression.py each answer carries a random-length filename in its header.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from collections.abc import Iterable, Mapping
from typing import TypedDict

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

from portal.compression import MIN_LENGTH

# Compressed once per kept page, so at the best level.
LEVEL = 9
_STORED_MAX = 0xFFFF
_FINAL_EMPTY_BLOCK = b"\x01\x00\x00\xff\xff"
_GZIP_MAGIC = b"\x1f\x8b\x08"
_FNAME = 0x08
_UNIX = 255  # "unknown" operating system, as Python's gzip writes it


class KeptBody(TypedDict):
    """What the cache keeps (plain lists: a pickle that outlives a code change must still load)."""

    # The page in order: its text stretches as UTF-8 bytes, and the names of its holes.
    parts: list[bytes | str]
    # One deflated stretch for each bytes part, in the same order.
    deflated: list[bytes]


def kept_body(content: str, holes: Iterable[str]) -> KeptBody:
    """The page cut at each occurrence of one of `holes`, its stretches deflated."""
    names = sorted(set(holes), key=len, reverse=True)
    pieces = re.split("(" + "|".join(map(re.escape, names)) + ")", content) if names else [content]
    parts: list[bytes | str] = []
    deflated: list[bytes] = []
    for index, piece in enumerate(pieces):
        if index % 2:  # re.split puts the separators it captured at the odd places
            parts.append(piece)
        elif piece:
            raw = piece.encode()
            parts.append(raw)
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
            deflated.append(compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH))
    return {"parts": parts, "deflated": deflated}


def filled(body: KeptBody, values: Mapping[str, str]) -> bytes:
    """The page as it is sent uncompressed, each hole filled with its value (a hole without one: left empty)."""
    return b"".join(part if isinstance(part, bytes) else values.get(part, "").encode() for part in body["parts"])


def filled_gzip(body: KeptBody, values: Mapping[str, str], *, max_random_bytes: int = 100) -> bytes:
    """The page as one gzip member, each hole's value a stored block between the deflated stretches."""
    filename = secrets.token_hex(max_random_bytes)[: 1 + secrets.randbelow(max_random_bytes)].encode()
    out = [_GZIP_MAGIC, bytes((_FNAME,)), b"\x00\x00\x00\x00\x00", bytes((_UNIX,)), filename, b"\x00"]
    crc = 0
    length = 0
    stretches = iter(body["deflated"])
    for part in body["parts"]:
        if isinstance(part, bytes):
            out.append(next(stretches))
            raw = part
        else:
            raw = values.get(part, "").encode()
            for start in range(0, len(raw), _STORED_MAX):
                block = raw[start : start + _STORED_MAX]
                # BFINAL 0, BTYPE 00 and the padding to the byte boundary the stretches end on: one zero byte.
                out.append(b"\x00" + struct.pack("<HH", len(block), len(block) ^ 0xFFFF) + block)
        crc = zlib.crc32(raw, crc)
        length += len(raw)
    out.append(_FINAL_EMPTY_BLOCK)
    out.append(struct.pack("<II", crc & 0xFFFFFFFF, length & 0xFFFFFFFF))
    return b"".join(out)


def kept_response(request: HttpRequest, body: KeptBody, values: Mapping[str, str], content_type: str) -> HttpResponse:
    """The kept page for this visitor: gzip-compressed as portal.compression would, when the browser takes it."""
    raw_length = sum(len(part) for part in body["parts"] if isinstance(part, bytes))
    if raw_length >= MIN_LENGTH and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(
            filled_gzip(body, values, max_random_bytes=GZipMiddleware.max_random_bytes), content_type=content_type
        )
        # Already encoded: the gzip middleware lets it pass, so the Vary it would have added is added here.
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(filled(body, values), content_type=content_type)
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response
