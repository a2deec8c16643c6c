"""Datasets in the CoGenesis format: read as JSON or JSON Lines; every problem named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogenesis.core.evaluation.dataset import DatasetError, load_samples
from tests.core.evaluation.samples import SAMPLES, write_dataset


def test_a_json_list_and_json_lines_give_the_same_samples(tmp_path: Path) -> None:
    listed = load_samples(write_dataset(tmp_path / "d.json"))
    lines = tmp_path / "d.jsonl"
    lines.write_text("\n".join(json.dumps(s) for s in SAMPLES) + "\n", encoding="utf-8")
    assert [s.id for s in listed] == ["u1", "u2", "u3"]
    assert load_samples(lines) == listed
    assert listed[0].instruction.startswith("Invitation: ")
    assert listed[0].profile_value("Location") == "Tromsø"


def test_every_problem_is_named_with_where_it_is(tmp_path: Path) -> None:
    broken = [dict(SAMPLES[0]), {"conversations": [{"value": "only one"}]}]
    broken[0]["additional_profile"] = 5
    with pytest.raises(DatasetError) as raised:
        load_samples(write_dataset(tmp_path / "d.json", broken))
    message = raised.value.message
    assert "sample 0.additional_profile" in message
    assert "sample 1.conversations" in message and "sample 1.additional_profile" in message
    assert "dataset format" in raised.value.hint


def test_two_samples_with_one_id_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="two samples have the id 'u1'"):
        load_samples(write_dataset(tmp_path / "d.json", [SAMPLES[0], SAMPLES[0]]))


def test_a_file_that_is_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(DatasetError, match="is not JSON or JSON Lines"):
        load_samples(path)
