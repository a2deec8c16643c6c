"""The public part on PUPA-format queries: leakage, retention, the leaked units listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.core.evaluation.dataset import DatasetError
from cogenesis.core.evaluation.pupa import by_category, measure, read_rows, render

ROWS = [
    {
        "predicted_category": "job",
        "user_query": "Write a cover letter for Dana Whitfield, dana@example.org, in Leeds",
        "pii_units": "dana whitfield||dana@example.org||leeds||<presidio_anonymized_person>",
    },
    {
        "predicted_category": "health",
        "user_query": "Summarize my clinic visit at Saint Olav hospital",
        "pii_units": "saint olav",
    },
]


def publish(query: str) -> str:
    """Replaces the email and the name only: Leeds and Saint Olav stay."""
    return query.replace("Dana Whitfield", "[PERSON 1]").replace("dana@example.org", "[EMAIL 1]")


def test_units_that_stay_in_the_public_text_leak() -> None:
    job, health = (measure(row, publish) for row in ROWS)
    assert job.units == ("dana whitfield", "dana@example.org", "leeds")  # presidio left out
    assert job.leaked == ("leeds",)
    # other content words: write, cover, letter; all kept
    assert (job.words, job.kept) == (3, 3)
    assert health.leaked == ("saint olav",)
    tallies = by_category([job, health])
    assert tallies["all"].units == 4 and tallies["all"].leaked == 2
    assert tallies["all"].leakage == pytest.approx(0.5)
    assert tallies["health"].leakage == 1.0


def test_the_report_lists_each_leaked_unit_and_says_it_holds_private_text() -> None:
    text = render("pupa.csv", by_category(measure(row, publish) for row in ROWS), 0.1)
    assert "**This report contains private text**" in text
    assert "`leeds`" in text and "`saint olav`" in text
    assert "| job | 1 | 3 | 1 | 33.3% |" in text


def test_a_csv_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("query,units\nhello,x\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="missing: user_query, pii_units"):
        read_rows(path)
