from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from cogenesis.core.errors import SettingsError
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import SCHEMA_VERSION, Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_round_trip_writes_schema_version_and_0600(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(theme="dark", font_size=14), path)
    doc = json.loads(path.read_text())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path) == Settings(theme="dark", font_size=14)


def test_unversioned_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"mode": "private", "theme": "light"}))
    settings = load_settings(path)
    assert settings.privacy_mode == "private"
    assert settings.theme == "light"


def test_newer_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION + 1}))
    before = path.read_bytes()
    with pytest.raises(SettingsError, match="newer CoGenesis"):
        load_settings(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "Cannot read"),
        ("[1, 2]", "JSON object"),
        ('{"schema_version": 1, "font_size": "big"}', "font_size"),
        ('{"schema_version": 1, "theme": "purple"}', "theme"),
        ('{"schema_version": 1, "threads": true}', "threads"),
        ('{"schema_version": 2, "fusion_rule": "average"}', "shift, product, adaptive"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsError, match=message) as info:
        load_settings(path)
    assert info.value.hint


def test_unknown_keys_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "future_option": [1, 2]}))
    save_settings(load_settings(path), path)
    assert json.loads(path.read_text())["future_option"] == [1, 2]


def test_secret_like_names_are_never_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    with pytest.raises(SettingsError, match="secrets never go there"):
        save_settings(Settings(unknown={"openai_api_key": "sk-123"}), path)
    assert not path.exists()


def test_cogenesis_home_moves_every_directory(app_home: Path) -> None:
    paths = AppPaths.default()
    for directory in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
        assert directory.is_relative_to(app_home)
    assert paths.vault_dir.is_relative_to(app_home)


def test_platform_dirs_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COGENESIS_HOME")
    paths = AppPaths.default()
    assert "CoGenesis" in str(paths.data_dir)


@pytest.mark.parametrize(
    ("doc", "provider"),
    [
        ({"schema_version": 1, "remote_base_url": "https://api.example/v1"}, "custom"),
        ({"schema_version": 1, "remote_provider": "none"}, "none"),
        ({"theme": "dark"}, "custom"),
    ],
)
def test_version_1_files_get_a_remote_provider(
    tmp_path: Path, doc: dict[str, object], provider: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(doc))
    assert load_settings(path).remote_provider == provider


def test_an_unknown_remote_provider_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "remote_provider": "cloud"}))
    with pytest.raises(SettingsError, match="remote_provider") as info:
        load_settings(path)
    assert "none, demo, custom" in info.value.hint


def test_the_remote_stall_time_is_a_setting_in_range(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path).remote_stall_seconds == 15
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "remote_stall_seconds": 0}))
    with pytest.raises(SettingsError, match="remote_stall_seconds"):
        load_settings(path)
