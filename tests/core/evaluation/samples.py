"""Small CoGenesis-format samples written for the tests (two invented users)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def sample(tid: str, name: str, city: str, instruction: str, reference: str) -> dict[str, Any]:
    return {
        "tid": tid,
        "conversations": [
            {"from": "human", "value": instruction},
            {"from": "gpt", "value": reference},
        ],
        "profile": [
            {
                "title": "A note to my team",
                "text": f"Dear team, greetings from {city}. The garden club meets on Friday; "
                "I will bring the seedlings and the tea. Warmly, " + name + ".",
                "id": 0,
            }
        ],
        "additional_profile": (
            "Age: 41\n"
            f"Name: {name}\n"
            "Occupation: Beekeeper; Part-time librarian\n"
            f"Location: {city}\n"
            "Personal_traits: Patient; Curious about plants\n"
            "Writing_style: Warm and short\n"
            "Privacy_info: Recovering from knee surgery; Saving for a farmhouse"
        ),
        "additional_tasks": [],
    }


SAMPLES = [
    sample(
        "u1",
        "Marisol Quenby",
        "Tromsø",
        "Invitation: Write a short invitation to the garden club's spring meeting.",
        "Dear friends, the garden club meets this spring; bring seedlings and tea.",
    ),
    sample(
        "u2",
        "Oskar Vellinga",
        "Ghent",
        "Thank-you note: Write a short thank-you note to a neighbour who watered my plants.",
        "Dear neighbour, thank you for watering my plants while I was away.",
    ),
    sample(
        "u3",
        "Ines Harrowgate",
        "Porto",
        "Reminder: Write a reminder about the library's book sale.",
        "A reminder: the library's book sale is on Saturday morning.",
    ),
]


def write_dataset(path: Path, samples: list[dict[str, Any]] | None = None) -> Path:
    path.write_text(json.dumps(samples or SAMPLES), encoding="utf-8")
    return path
