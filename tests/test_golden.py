"""Golden files: each seed's parse (Thread.to_dict()) must stay as checked by hand.

Rewrite them with `pytest tests/test_golden.py --regen-golden`, then review the diff: a change
of post count or boundaries needs the same hand check as the first version.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import threads
from tests.conftest import SEEDS

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.stem)
def test_seed_parse_matches_golden(path: Path, regen_golden: bool) -> None:
    thread = threads.read(path)
    document = thread.to_dict()
    # Boilerplate is not in the CLI's JSON, but what was cut belongs in the hand-checked record.
    document["boilerplate"] = [
        {"post_id": record.post_id, "kind": record.kind, "text": record.text} for record in thread.boilerplate
    ]
    document["thread"]["source"] = f"seeds/{path.name}"  # independent of where the repo lives
    golden = GOLDEN / f"{path.stem}.json"
    if regen_golden:
        golden.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"{golden} is missing; create it with --regen-golden and check it by hand"
    assert document == json.loads(golden.read_text(encoding="utf-8"))
