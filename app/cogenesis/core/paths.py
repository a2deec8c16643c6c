"""Where the app keeps its files: platform user directories, or one folder for everything.

Set ``COGENESIS_HOME`` to move every directory under one folder (tests, portable installs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "COGENESIS_HOME"
_APP = "CoGenesis"


@dataclass(frozen=True)
class AppPaths:
    """The app's directories. Nothing is created until ``ensure()`` is called."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        """Paths from ``COGENESIS_HOME`` when set, else the platform's user directories."""
        home = os.environ.get(HOME_ENV, "").strip()
        if home:
            return cls.under(Path(home).expanduser())
        return cls(
            config_dir=Path(platformdirs.user_config_dir(_APP, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(_APP, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(_APP, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(_APP, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """All directories below one root folder."""
        return cls(root / "config", root / "data", root / "cache", root / "logs")

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def vault_dir(self) -> Path:
        return self.data_dir / "vault"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "cogenesis.log"

    def ensure(self) -> AppPaths:
        """Create the directories (owner-only where the platform allows) and return self."""
        for directory in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.vault_dir.mkdir(exist_ok=True, mode=0o700)
        return self
