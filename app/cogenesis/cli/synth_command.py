"""`cogenesis synth`: build an evaluation set that looks like your own life, with the paper's
four steps through any OpenAI-compatible model."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cogenesis.cli.context import CliContext
from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation import synth
from cogenesis.core.evaluation.dataset import load_samples
from cogenesis.core.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "synth",
        help="build a CoGenesis-format evaluation set through a remote model",
        description="Group portraits, then user profiles, writing tasks and personalized "
        "texts, written one user per line to --out (JSON Lines, the format eval reads). Only "
        "invented text is sent; every request and reply is kept in requests.jsonl beside it.",
    )
    p.add_argument("--out", type=Path, required=True, help="the dataset file (.jsonl)")
    p.add_argument("--users", type=int, default=10, help="how many users in all")
    p.add_argument("--groups", type=int, default=0, help="group portraits (0: one per 3 users)")
    p.add_argument("--theme", default="", help="the kind of life to draw from, in your words")
    p.add_argument("--remote-url", help="an OpenAI-compatible base URL (default: settings)")
    p.add_argument("--remote-model", help="its model name (default: settings)")
    p.add_argument("--temperature", type=float, default=0.9)
    p.add_argument("--resume", action="store_true", help="add users to an existing --out")
    p.set_defaults(func=cmd_synth)


def cmd_synth(ctx: CliContext, args: argparse.Namespace) -> int:
    from cogenesis.adapters.remote.plain_chat import chat_asker

    if args.users < 1:
        raise CogenesisError("--users must be 1 or more.", "")
    done = _existing(args.out, args.resume)
    url, model = _endpoint(ctx, args)
    ask, close = chat_asker(
        url,
        model,
        args.out.with_name(args.out.stem + ".requests.jsonl"),
        temperature=args.temperature,
    )
    try:
        portraits = _portraits(ask, args)
        for number in range(done, args.users):
            sample = synth.synthesize_user(ask, portraits[number % len(portraits)], number + 1)
            with args.out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(sample, ensure_ascii=False) + "\n")
            print(f"user {number + 1}/{args.users}: {sample['tid']}", file=sys.stderr)
    finally:
        close()
    checked = load_samples(args.out)  # every sample has the fields eval needs
    print(f"{len(checked)} sample(s) in {args.out}, each with the fields eval needs")
    return 0


def _existing(out: Path, resume: bool) -> int:
    if not out.exists() or out.stat().st_size == 0:
        return 0
    if not resume:
        raise CogenesisError(
            f"{out} exists.", "Add --resume to add to it, or choose another --out."
        )
    return len(load_samples(out))


def _endpoint(ctx: CliContext, args: argparse.Namespace) -> tuple[str, str]:
    if args.remote_url:
        if not args.remote_model:
            raise CogenesisError("--remote-url needs --remote-model.", "Name the endpoint's model.")
        return args.remote_url, args.remote_model
    settings = load_settings(ctx.paths.settings_file)
    if (
        not settings.remote_base_url
        or not settings.remote_model
        or settings.remote_provider == "demo"
    ):
        raise CogenesisError(
            "No remote endpoint to write with.",
            "Give --remote-url and --remote-model, or set one: cogenesis remote set.",
        )
    return settings.remote_base_url, args.remote_model or settings.remote_model


def _portraits(ask: synth.Ask, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The group portraits, kept beside the dataset so a resumed run uses the same ones."""
    path = args.out.with_name(args.out.stem + ".portraits.json")
    if path.exists():
        return list(json.loads(path.read_text(encoding="utf-8")))
    count = args.groups or max(1, -(-args.users // 3))
    found = synth.portraits(ask, count, args.theme)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return found
