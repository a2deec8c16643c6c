from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.gui.first_run import FirstRunWizard
from cogenesis.gui.session import VaultSession

PASSPHRASE = "violet lantern harbour 77"

# Two users in the CoGenesis dataset's format: profile text plus writing samples.
DATASET_USERS = [
    {
        "tid": "u1",
        "additional_profile": "Name: Ola Berg\nOccupation: carpenter",
        "profile": [{"title": "Note", "text": "Back on Monday."}],
    },
    {
        "tid": "u2",
        "additional_profile": "Name: Dana Reyes\nAge: 41\nOccupation: nurse\n"
        "Location: Porto\nWriting_style: warm, brief",
        "profile": [
            {"title": "To my sister", "text": "The garden is finally green again."},
            {"title": "Shift swap", "text": "Could you take my Thursday night?"},
        ],
    },
]


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.default().ensure()


@pytest.fixture
def wizard(qtbot: QtBot, paths: AppPaths, home: Path) -> Iterator[FirstRunWizard]:
    made = FirstRunWizard(VaultSession(paths), Settings(), paths)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.remote_page.probe.wait()
    made.model_page.wait()
    if made.demo is not None:
        made.demo.stop()
    if made.state.session.vault is not None:
        made.state.session.lock()
    made.close()
    made.deleteLater()


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.json"
    path.write_text(json.dumps(DATASET_USERS), encoding="utf-8")
    return path
