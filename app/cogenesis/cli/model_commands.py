"""`cogenesis models …`: list, add, download and choose the local model."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from cogenesis.adapters.models import ModelCatalog, ModelEntry, Progress
from cogenesis.adapters.models.memory import machine_memory
from cogenesis.adapters.remote.model_download import recorded_download
from cogenesis.cli.context import CliContext
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.settings import load_settings, save_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = sub.add_parser("models", help="the local model: list, add, download, choose")
    cmds = models.add_subparsers(dest="models_command", required=True, metavar="COMMAND")
    cmds.add_parser("list", help="models you can use, with a memory-fit hint").set_defaults(
        func=cmd_list
    )
    imp = cmds.add_parser("import", help="copy a .gguf file into the models folder")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)
    add = cmds.add_parser("add", help="use a .gguf file where it is (not copied)")
    add.add_argument("file", type=Path)
    add.set_defaults(func=cmd_add)
    dl = cmds.add_parser("download", help="download a .gguf by URL (resumes, verifies)")
    dl.add_argument("url")
    dl.add_argument("--sha256", help="expected SHA-256 of the file")
    dl.set_defaults(func=cmd_download)
    use = cmds.add_parser("use", help="make a model the local model (by name)")
    use.add_argument("name")
    use.set_defaults(func=cmd_use)
    remove = cmds.add_parser("remove", help="delete an imported/downloaded model, forget others")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove)
    info = cmds.add_parser("info", help="load a model and describe it")
    info.add_argument("name", nargs="?", help="default: the model in use")
    info.set_defaults(func=cmd_info)


def catalog_of(ctx: CliContext) -> ModelCatalog:
    return ModelCatalog(ctx.paths.models_dir)


def find(ctx: CliContext, name: str | None) -> ModelEntry:
    entries = catalog_of(ctx).entries()
    if name is None:
        chosen = load_settings(ctx.paths.settings_file).local_model
        matches = [e for e in entries if str(e.path) == chosen] or entries[:1]
    else:
        matches = [e for e in entries if name in (e.name, e.path.name, str(e.path))]
    if not matches:
        raise CogenesisError(f"No model called {name!r}.", "See 'cogenesis models list'.")
    return matches[0]


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    settings = load_settings(ctx.paths.settings_file)
    catalog = catalog_of(ctx)
    current = find(ctx, None).path if catalog.entries() else None
    memory = machine_memory()
    for entry in catalog.entries():
        mark = "*" if entry.path == current else " "
        try:  # one bad file is marked; the others are still listed
            hint = catalog.fit(entry, settings.context_size, memory, settings.device).describe()
        except CogenesisError as exc:
            mark = "!" if mark == " " else mark
            hint = f"unusable: {exc.message}"
        print(f"{mark} {entry.name}  [{entry.source}, {entry.size / 1e6:.0f} MB]  {hint}")
        print(f"    {entry.path}")
    return 0


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    entry = catalog_of(ctx).import_file(args.file)
    print(f"Imported {entry.name} into {entry.path.parent}.")
    return 0


def cmd_add(ctx: CliContext, args: argparse.Namespace) -> int:
    entry = catalog_of(ctx).use_in_place(args.file)
    print(f"Added {entry.name} (used in place: {entry.path}).")
    return 0


def cmd_download(ctx: CliContext, args: argparse.Namespace) -> int:
    cancel = CancelToken()

    def show(progress: Progress) -> None:
        total = f" of {progress.total / 1e6:.1f}" if progress.total else ""
        print(f"\r{progress.received / 1e6:.1f}{total} MB", end="", file=sys.stderr, flush=True)

    settings = load_settings(ctx.paths.settings_file)
    with ctx.unlock() as vault:  # the download is recorded in the vault's egress ledger
        try:
            path = recorded_download(
                vault,
                settings.privacy_mode,
                args.url,
                ctx.paths.models_dir,
                sha256=args.sha256,
                on_progress=show,
                cancel=cancel,
            )
        except KeyboardInterrupt:
            print("\nStopped; run the same command again to resume.", file=sys.stderr)
            return 130
    print(f"\nDownloaded and verified {path.name}.", file=sys.stderr)
    return 0


def cmd_use(ctx: CliContext, args: argparse.Namespace) -> int:
    entry = find(ctx, args.name)
    read_header(entry.path)  # a file that is not a GGUF model says why, and is not chosen
    settings = load_settings(ctx.paths.settings_file)
    save_settings(replace(settings, local_model=str(entry.path)), ctx.paths.settings_file)
    print(f"The local model is now {entry.name}.")
    return 0


def cmd_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    entry = find(ctx, args.name)
    catalog_of(ctx).remove(entry)
    print(f"Removed {entry.name}.")
    return 0


def cmd_info(ctx: CliContext, args: argparse.Namespace) -> int:
    from cogenesis.adapters.llama import LlamaLocalModel

    entry = find(ctx, args.name)
    settings = load_settings(ctx.paths.settings_file)
    with LlamaLocalModel(
        entry.path,
        context_size=settings.context_size,
        device=settings.device,
        threads=settings.threads,
    ) as model:
        info = model.info
        for field in (
            "name",
            "path",
            "architecture",
            "quantization",
            "vocab_size",
            "context_length",
            "context_size",
            "has_chat_template",
            "threads",
        ):
            print(f"{field:18} {getattr(info, field)}")
        print(f"{'parameters':18} {info.parameters / 1e6:.1f} M")
        device = info.device + (f" ({info.device_note})" if info.device_note else "")
        print(f"{'device':18} {device}")
        print(f"{'vocabulary':18} {model.vocabulary_fingerprint()[:16]}…")
    return 0
