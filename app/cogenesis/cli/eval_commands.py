"""`cogenesis eval …`: measure the app on data, the way the CoGenesis paper does, plus what
left the device."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from cogenesis.cli import eval_personalization
from cogenesis.cli.context import CliContext
from cogenesis.core.evaluation import pupa


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluate = sub.add_parser("eval", help="measure answers and privacy on a dataset")
    cmds = evaluate.add_subparsers(dest="eval_command", required=True, metavar="COMMAND")
    eval_personalization.register(cmds)
    privacy = cmds.add_parser(
        "privacy",
        help="leakage, retention and false positives of the public part on PUPA-format queries",
        description="Builds the public part of each query as the app does (empty vault, "
        "offline detectors; nothing is sent anywhere) and writes a report that lists every "
        "leaked unit. The report holds private text: keep it on this device.",
    )
    privacy.add_argument("--dataset", type=Path, required=True, help="a PUPA-format CSV")
    privacy.add_argument("--out", type=Path, help="the report's folder (default: the app's)")
    privacy.set_defaults(func=cmd_privacy)


def cmd_privacy(ctx: CliContext, args: argparse.Namespace) -> int:
    rows = pupa.read_rows(args.dataset)
    begun = time.perf_counter()
    with publisher() as publish:
        tallies = pupa.by_category([pupa.measure(row, publish) for row in rows])
    text = pupa.render(str(args.dataset), tallies, time.perf_counter() - begun)
    out = (
        args.out or ctx.paths.data_dir / "evaluations" / f"privacy-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.md"
    path.write_text(text, encoding="utf-8")
    print(f"all: {tallies['all'].line()}")
    print(f"Report (it holds private text: keep it on this device): {path}", file=sys.stderr)
    return 0


@contextlib.contextmanager
def publisher() -> Iterator[pupa.Publish]:
    """The app's public part with an empty vault (generic detectors only)."""
    import tempfile

    from cogenesis.core.evaluation.vaults import EphemeralKeyStore
    from cogenesis.core.privacy import build_index, make_public
    from cogenesis.core.vault import VaultFiles, create_vault

    with tempfile.TemporaryDirectory(prefix="cogenesis-eval-") as folder:
        vault = create_vault(VaultFiles(Path(folder) / "vault"), EphemeralKeyStore())
        try:
            index = build_index(vault)
            yield lambda query: make_public(query, index).text
        finally:
            vault.lock()
