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

    Order: a byte-order mark; BOM-less UTF-16 (by its NUL bytes, or for CJK text by trying both
    byte orders); strict UTF-8; an encoding the document declares (`declared`); charset detection
    (GB18030, cp1252, ...). Bytes that still do not decode become U+FFFD instead of raising.

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
    refuse_binary(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    utf16 = _utf16_by_nuls(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    has_nul = b"\0" in data[:65536]
    if not has_nul:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_by_decoding(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    if has_nul:
        raise InputError("input looks binary (it contains NUL bytes), not a thread")
    if _looks_binary(data):
        raise InputError("input looks binary (mostly control bytes), not a thread")
    if declared:
        try:
            return data.decode(_normalize_declared(declared)), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    lines = data.split(b"\n")
    failing = [line for line in lines if not _is_utf8(line)]
    legacy = _detect_legacy(b"\n".join(failing))
    non_ascii = sum(1 for line in lines if not line.isascii())
    if non_ascii and (non_ascii - len(failing)) / non_ascii >= 0.5:
        # Mostly UTF-8 with pasted lines in a legacy encoding: decode each line on its own, so the
        # UTF-8 part is not turned into mojibake by a whole-file guess. (A legacy file has a few
        # lines that are valid UTF-8 by coincidence at most, hence the majority rule.)
        decoded = (
            line.decode("utf-8") if _is_utf8(line) else line.decode(legacy, "replace") for line in lines
        )
        return "\n".join(decoded), f"utf-8+{legacy}"
    return data.decode(legacy, errors="replace"), legacy


def refuse_binary(data: bytes) -> None:
    """Raise InputError when the bytes start like a known binary file format (image, archive, ...).

    Raises:
        InputError: naming the format found.
    """
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(f"input looks binary ({kind}), not a thread")
    if data[257:262] == b"ustar":
        kind = "a tar archive"
    else:
        kind = next((kind for magic, kind in _ARCHIVE_MAGIC if data.startswith(magic)), "")
    if kind:
        # Never opened, so no archive can inflate into more than the input limit (a zip bomb).
        raise InputError(f"input looks binary ({kind}); threadlens does not open archives: unpack it first")


_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "a SQLite database"),
    (b"RIFF", "a media file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_ARCHIVE_MAGIC = (
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"PK\x07\x08", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    *((f"BZh{level}1AY&SY".encode(), "a bzip2 archive") for level in range(1, 10)),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x04\x22\x4d\x18", "an lz4 archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect_legacy(data: bytes) -> str:
    best = from_bytes(data[:1_000_000]).best() if data else None
    return best.encoding if best is not None else "cp1252"


def _normalize_declared(name: str) -> str:
    # Browsers read "iso-8859-1" and "latin1" as windows-1252, which is what such pages contain.
    lowered = name.strip().lower()
    return "cp1252" if lowered in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"} else lowered


def _utf16_by_nuls(data: bytes) -> str | None:
    """Name the UTF-16 variant of BOM-less text whose every other byte is mostly NUL (ASCII-heavy)."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _utf16_by_decoding(data: bytes) -> str | None:
    """Name the UTF-16 variant of BOM-less CJK-heavy text, which has few NUL bytes, or None.

    Each byte order is tried as a strict decoding: real text has line breaks and spaces (U+000A,
    U+0020) or ideographic punctuation, while the wrong byte order turns them into U+0A00 and
    U+2000, and other encodings (GB18030, UTF-8) read as UTF-16 give none of them.
    """
    if len(data) % 2 or len(data) < 4:
        return None
    sample = data[:65536]
    scores = {name: _utf16_text_score(sample, name) for name in ("utf-16-le", "utf-16-be")}
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] > 0.02 else None


def _utf16_text_score(sample: bytes, encoding: str) -> float:
    """Share of separators (newline, space, CJK punctuation) in a strict decoding, 0 if invalid."""
    try:
        text = sample.decode(encoding)
    except UnicodeDecodeError:
        try:  # the sample may end inside a surrogate pair
            text = sample[:-2].decode(encoding)
        except UnicodeDecodeError:
            return 0.0
    if not text:
        return 0.0
    printable = sum(char.isprintable() or char in "\n\r\t" for char in text)
    if printable < 0.97 * len(text):
        return 0.0
    separators = sum(text.count(char) for char in "\n \u3000\u3001\u3002\uff0c\uff1a")
    return separators / len(text)


def _looks_binary(data: bytes) -> bool:
    """Whether bytes hold many control bytes that no text encoding uses for text."""
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32 or byte == 127)
    return controls > 0.05 * len(sample)
