"""Encodings: real seed text written in each encoding decodes back and parses the same."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import threads
from tests.conftest import SEEDS
from threads.encoding import decode
from threads.errors import InputError

FORUM_SEED = next(SEEDS.glob("000_*.txt"))
DIGEST_SEED = next(SEEDS.glob("001_*.txt"))


def _encodings() -> list[tuple[str, Path, str, bytes]]:
    cases = []
    for seed in (FORUM_SEED, DIGEST_SEED):
        for name in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
            cases.append((name, seed, name, b""))
        cases.append(("utf-8-bom", seed, "utf-8", codecs.BOM_UTF8))
        cases.append(("utf-16-le-bom", seed, "utf-16-le", codecs.BOM_UTF16_LE))
        cases.append(("utf-16-be-bom", seed, "utf-16-be", codecs.BOM_UTF16_BE))
    cases.append(("cp1252", FORUM_SEED, "cp1252", b""))
    return cases


@pytest.mark.parametrize(
    ("label", "seed", "encoding", "bom"),
    _encodings(),
    ids=lambda value: value if isinstance(value, str) else getattr(value, "name", "")[:3],
)
def test_seed_in_each_encoding_parses_like_utf8(
    tmp_path: Path, label: str, seed: Path, encoding: str, bom: bytes
) -> None:
    original = seed.read_text(encoding="utf-8")
    # cp1252 cannot hold every character of the seed ("′"): what it cannot hold becomes "?".
    expected_text = original.encode(encoding, errors="replace").decode(encoding)
    path = tmp_path / f"{label}.txt"
    path.write_bytes(bom + original.encode(encoding, errors="replace"))
    text, _ = decode(path.read_bytes())
    assert text == expected_text
    thread = threads.read(path)
    reference = threads.parse(expected_text)
    assert [post.text for post in thread.posts] == [post.text for post in reference.posts]
    assert thread.format == reference.format


def test_cjk_utf16_without_bom_and_without_ascii(tmp_path: Path) -> None:
    text = "\n".join(
        line for line in DIGEST_SEED.read_text(encoding="utf-8").splitlines() if "内容摘要" in line
    )
    assert text.isascii() is False
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode(text.encode(encoding)) == (text, encoding)


def test_invalid_bytes_never_crash() -> None:
    data = FORUM_SEED.read_bytes()[:2000] + b"\xff\xfe\xfa\x81" + FORUM_SEED.read_bytes()[2000:4000]
    text, _ = decode(data)
    assert "Chinese scientists successfully completed" in text
    assert threads.parse_bytes(data).posts


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 100 + b"\xc3\x28",
    ],
)
def test_binary_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        decode(data)


def test_windows_and_old_mac_line_ends_parse_the_same(tmp_path: Path) -> None:
    original = FORUM_SEED.read_text(encoding="utf-8")
    reference = [post.text for post in threads.parse(original).posts]
    for name, newline in (("crlf", "\r\n"), ("cr", "\r")):
        path = tmp_path / f"{name}.txt"
        path.write_bytes(original.replace("\n", newline).encode("utf-8"))
        assert [post.text for post in threads.read(path).posts] == reference
