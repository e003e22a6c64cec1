"""Coercion of loosely typed JSON values into post fields: ids, names, counts and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from threads.errors import InputError

# Unix times beyond year 9999 or negative are garbage in forum exports; treat them as unknown.
_MAX_UNIX = 253_402_300_799


def optional_str(value: Any) -> str | None:
    """`value` as a stripped string, or None for null, empty, and containers (lists, objects)."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def text_of(value: Any) -> str:
    """`value` as post text: strings as they are, numbers as digits, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def timestamp(value: Any) -> datetime | None:
    """A UTC datetime from Unix seconds (or milliseconds), an ISO 8601 string, or None if unreadable."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        if isinstance(value, int | float):
            seconds = float(value)
            if seconds > _MAX_UNIX:
                seconds /= 1000.0  # JavaScript exports count milliseconds
            if not 0 <= seconds <= _MAX_UNIX:
                return None
            return datetime.fromtimestamp(seconds, tz=UTC)
        if not isinstance(value, str):
            return None
        text = value.strip()
        if text.replace(".", "", 1).isdigit():
            return timestamp(float(text))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def expect_dict(value: Any, what: str) -> dict[str, Any]:
    """`value` if it is a JSON object.

    Raises:
        InputError: it is not; the message names `what` was expected.
    """
    if not isinstance(value, dict):
        raise InputError(f"{what} should be a JSON object, not {json_type(value)}")
    return value


def expect_list(value: Any, what: str) -> list[Any]:
    """`value` if it is a JSON array.

    Raises:
        InputError: it is not; the message names `what` was expected.
    """
    if not isinstance(value, list):
        raise InputError(f"{what} should be a JSON array, not {json_type(value)}")
    return value


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
