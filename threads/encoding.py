"""Bytes to text: byte-order marks, UTF-8, declared charsets, then detection; never a crash."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from threads.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode input bytes to text and name the encoding used.

    Order: a byte-order mark; strict UTF-8; an encoding the document declares (`declared`);
    charset detection. Bytes that still do not decode become U+FFFD instead of raising.

    Args:
        data: the raw input.
        declared: a charset the document names (an HTML meta tag, an HTTP header), if any.

    Returns:
        (text, encoding name).

    Raises:
        InputError: the input is empty or looks binary (NUL bytes outside UTF-16/32 text).
    """
    if not data.strip():
        raise InputError("input is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    if b"\0" in data[:65536]:
        raise InputError("input looks binary (it contains NUL bytes), not a thread")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(_normalize_declared(declared)), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace"), encoding


def _normalize_declared(name: str) -> str:
    # Browsers read "iso-8859-1" and "latin1" as windows-1252, which is what such pages contain.
    lowered = name.strip().lower()
    return "cp1252" if lowered in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"} else lowered


def _utf16_without_bom(data: bytes) -> str | None:
    """Name the UTF-16 variant of BOM-less text whose every other byte is mostly NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None
