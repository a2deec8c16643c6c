"""Bad input through the real command line: a clear message and exit 1, never a traceback
(issue 17, items 3, 4, 6 and 7)."""

from __future__ import annotations

from pathlib import Path

from tests.gguf_files import tiny_gguf

PASSPHRASE = "lantern orchard 77"


# -- item 6: models ------------------------------------------------------------------------


def test_models_list_shows_every_entry_and_marks_a_bad_file(  # type: ignore[no-untyped-def]
    cli, app_home: Path, tmp_path: Path
) -> None:
    models = app_home / "data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / "a-broken.gguf").write_text("not a model")
    tiny_gguf(models / "z-tiny.gguf")
    (models / "m-gone.gguf").symlink_to(tmp_path / "deleted.gguf")
    code, out, err = cli("models", "list")
    assert code == 0, err
    assert "[starter" in out and "z-tiny" in out
    broken = [line for line in out.splitlines() if "a-broken" in line]
    assert broken and broken[0].startswith("!") and "not a readable GGUF" in broken[0]
    gone = [line for line in out.splitlines() if "m-gone" in line]
    assert gone and "does not exist" in gone[0]


def test_models_use_refuses_a_file_that_is_not_a_model(  # type: ignore[no-untyped-def]
    cli, app_home: Path
) -> None:
    models = app_home / "data" / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / "notamodel.gguf").write_text("not a model")
    code, _, err = cli("models", "use", "notamodel")
    assert code == 1 and "not a readable GGUF" in err
    assert not (app_home / "config" / "settings.json").exists()
