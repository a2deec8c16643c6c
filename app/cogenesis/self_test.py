"""`cogenesis --self-test`: a headless check that this installation works end to end, from
source or from the bundle. Each step runs what a user's first minutes run: a vault created
and unlocked with a passphrase, the local model answering, one sketch answer through the
demo endpoint and the egress choke point, the main window opened off screen. Prints one line
of verdict; the exit code says pass (0) or fail (1)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cogenesis.adapters.llama import LlamaLocalModel
    from cogenesis.core.collab.engine import Engine
    from cogenesis.core.paths import AppPaths
    from cogenesis.core.vault import Vault

PASSPHRASE = "self-test lantern orchard 77"  # noqa: S105 - a throwaway vault's
TOKENS = 8
PRIVATE_NAME = "Ilse Vandermolen"  # in the vault: it must not reach the endpoint


class StepFailed(Exception):
    """A step found the installation broken; the text says how."""


def _described(exc: Exception) -> str:
    message = getattr(exc, "message", None)  # CogenesisError: the app's own wording
    if message:
        return str(message)
    return str(exc) if isinstance(exc, StepFailed) else f"{type(exc).__name__}: {exc}"


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="cogenesis-self-test-") as root, ExitStack() as stack:
        test = SelfTest(Path(root), stack)
        results = list(test.run())
    passed = len(results) == len(test.steps) and all(ok for _, ok, _ in results)
    summary = "; ".join(f"{name}: {detail}" for name, _, detail in results)
    print(f"self-test {'passed' if passed else 'FAILED'} — {summary}")
    return 0 if passed else 1


class SelfTest:
    """The steps, in order; each may use what an earlier one made."""

    def __init__(self, root: Path, stack: ExitStack) -> None:
        from cogenesis.core.paths import AppPaths

        self.paths: AppPaths = AppPaths.under(root).ensure()
        self.stack = stack
        self.vault: Vault | None = None
        self.local: LlamaLocalModel | None = None
        self.steps: list[tuple[str, Callable[[], str]]] = [
            ("vault", self.check_vault),
            ("local model", self.check_local),
            ("sketch", self.check_sketch),
            ("window", self.check_window),
        ]

    def run(self) -> Iterator[tuple[str, bool, str]]:
        """(step, passed, what it found); stops at the first failure."""
        for name, check in self.steps:
            started = time.perf_counter()
            try:
                detail = f"{check()}, {time.perf_counter() - started:.1f} s"
                ok = True
            except Exception as exc:
                detail, ok = _described(exc), False
            print(f"  {'ok' if ok else 'FAILED'} {name}: {detail}", file=sys.stderr)
            yield name, ok, detail
            if not ok:
                return

    def check_vault(self) -> str:
        from cogenesis.adapters.keystore import keystore_for
        from cogenesis.core.vault import Profile, VaultFiles, create_vault, unlock_vault

        files = VaultFiles(self.paths.vault_dir)
        store = keystore_for(files, "passphrase")
        create_vault(files, store, PASSPHRASE).lock()
        self.vault = unlock_vault(files, keystore_for(files), PASSPHRASE)
        self.stack.callback(self.vault.lock)
        self.vault.profile.set(Profile(name=PRIVATE_NAME, location="Leuven"))
        return "created, locked and unlocked with a passphrase"

    def check_local(self) -> str:
        from cogenesis.adapters.llama import LlamaLocalModel
        from cogenesis.adapters.models import starter_model_path

        path = starter_model_path()
        if path is None:
            raise StepFailed("the starter model is not in this installation")
        self.local = LlamaLocalModel(path, context_size=2048)
        self.stack.callback(self.local.close)
        _text, tokens, seconds = _answer(self._engine(None, "offline"), "local", "Say hello.")
        if tokens < 1:
            raise StepFailed("the local model generated nothing")
        return f"{tokens} tokens at {tokens / max(seconds, 1e-3):.0f} tok/s ({path.name})"

    def check_sketch(self) -> str:
        from cogenesis.adapters.remote import DemoServer, demo_log_file
        from cogenesis.adapters.remote.factory import remote_from_settings
        from cogenesis.core.egress import EgressLedger
        from cogenesis.core.settings import Settings

        assert self.vault is not None
        demo = self.stack.enter_context(DemoServer(demo_log_file(self.paths)))
        remote = remote_from_settings(Settings(remote_provider="demo"), self.vault, demo)
        self.stack.callback(remote.close)
        request = f"Write a two-line note to {PRIVATE_NAME} about the weather."
        _answer(self._engine(remote, "private"), "sketch", request)
        records = EgressLedger(self.vault.db).records()
        sent = [r for r in records if not r.refused]
        if not sent:
            raise StepFailed("no request reached the demo endpoint")
        if any("vandermolen" in r.text_sent.casefold() for r in sent):
            raise StepFailed("the private name left the device")
        return f"{len(sent)} request(s) in the ledger, the private name not among them"

    def check_window(self) -> str:
        from PySide6.QtWidgets import QApplication

        from cogenesis.gui.app import build_window

        app = QApplication.instance() or QApplication(sys.argv[:1])
        started = time.perf_counter()
        window = build_window(self.paths)
        window.show()
        app.processEvents()
        shown = window.isVisible()
        ms = (time.perf_counter() - started) * 1000
        window.stop_worker()
        window.close()
        window.deleteLater()
        app.processEvents()
        if not shown:
            raise StepFailed("the main window did not show")
        return f"main window shown off screen in {ms:.0f} ms"

    def _engine(self, remote: object, privacy_mode: str) -> Engine:
        from cogenesis.core.collab.engine import Engine

        assert self.vault is not None
        return Engine(self.vault, self.local, remote, privacy_mode=privacy_mode)  # type: ignore[arg-type]


def _answer(engine: Engine, mode: str, instruction: str) -> tuple[str, int, float]:
    from dataclasses import replace

    from cogenesis.core.collab.events import Done, Failed, Token

    ask = replace(engine.prepare(instruction, max_tokens=TOKENS, mode=mode), temperature=0.0)
    text, started = [], time.perf_counter()
    for event in engine.run(mode, ask):
        if isinstance(event, Token):
            text.append(event.text)
        elif isinstance(event, Failed):
            raise event.error
        elif isinstance(event, Done):
            return "".join(text), event.stats.local_tokens, time.perf_counter() - started
    raise StepFailed(f"the {mode} answer did not finish")
