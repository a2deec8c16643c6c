"""`cogenesis ask`: one answer in the terminal, and what left the device to make it."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TextIO

from cogenesis.cli.context import CliContext
from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import (
    ContextUsed,
    Done,
    Failed,
    Notice,
    Phase,
    PublicPart,
    Reading,
    SketchText,
    Token,
)
from cogenesis.core.collab.fusion import FUSION_PRESETS
from cogenesis.core.egress import EgressLedger
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken
from cogenesis.core.llm.threads import physical_cores, plan_threads
from cogenesis.core.policy import AnswerMode, Consents, refusal
from cogenesis.core.settings import load_settings

MODES_HELP = """answer modes:
  local   only the local model, with your private context; nothing leaves the device
  cloud   only the remote model, given the public part of the instruction (private
          details replaced); no private context
  sketch  the remote writes an outline from the public part; the local model writes
          the answer from it with your private context
  logit   both models choose each token together: the local one with your context,
          the remote one seeing only the public part and the answer so far
  full    the remote model with your private context (privacy mode full-context and
          --send-my-context only)

privacy modes (cogenesis settings set privacy_mode …): offline allows local;
private allows local, cloud, sketch, logit; cloud-no-context allows cloud;
full-context allows all."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = sub.add_parser(
        "ask",
        help="answer one instruction in the terminal",
        description="Answer one instruction and print what left the device to make it.",
        epilog=MODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ask.add_argument(
        "instruction",
        nargs="?",
        help="what to do; '-' reads it from stdin (after the passphrase's line, when one is "
        "asked for on the same pipe)",
    )
    ask.add_argument(
        "--file", type=Path, metavar="PATH", help="read the instruction from a text file (UTF-8)"
    )
    ask.add_argument(
        "--mode",
        choices=[m.value for m in AnswerMode],
        default=AnswerMode.LOCAL.value,
        help="how to answer (see below; the privacy mode in settings decides which may run)",
    )
    ask.add_argument(
        "--send-my-context",
        action="store_true",
        help="consent, for this answer, to send your private context (--mode full; the "
        "privacy mode must be full-context)",
    )
    ask.add_argument("--max-tokens", type=int, default=300)
    ask.set_defaults(func=cmd_ask)


def cmd_ask(ctx: CliContext, args: argparse.Namespace) -> int:
    from cogenesis.adapters.llama import LlamaLocalModel
    from cogenesis.adapters.models import chosen_model_path
    from cogenesis.adapters.remote import demo_if_chosen
    from cogenesis.adapters.remote.factory import remote_from_settings

    # from an argument or a file now; from stdin once the passphrase has been read there
    instruction = None if args.instruction == "-" else read_instruction(args)
    settings = load_settings(ctx.paths.settings_file)
    refused = refusal(settings.privacy_mode, args.mode)
    if refused is not None:  # before anything starts (the demo endpoint, a connection)
        raise refused
    consents = Consents(frozenset({None}) if args.send_my_context else frozenset())
    with ctx.unlock() as vault, contextlib.ExitStack() as stack:
        if instruction is None:
            instruction = read_instruction(args)
        ledger = EgressLedger(vault.db)
        before = max((r.id for r in ledger.records(limit=1)), default=0)
        remote, demo = None, None
        if args.mode != "local":  # the demo endpoint, if chosen, runs for this command
            demo = stack.enter_context(demo_if_chosen(settings, ctx.paths))
            remote = remote_from_settings(settings, vault, demo, consents.granted)
        local = None
        if args.mode != "cloud":
            budget = plan_threads(
                physical_cores(),
                demo=demo is not None,
                generation=settings.threads,
                batch=settings.batch_threads,
            )
            local = LlamaLocalModel(
                chosen_model_path(settings),
                context_size=settings.context_size,
                device=settings.device,
                threads=budget,
            )
            print(f"[{budget.describe()}]", file=sys.stderr)
        try:
            engine = Engine(
                vault,
                local,
                remote,
                privacy_mode=settings.privacy_mode,
                consents=consents,
                twin=local.twin() if local is not None and args.mode == "logit" else None,
                fusion=FUSION_PRESETS[settings.fusion_rule],
            )
            ask = engine.prepare(instruction, max_tokens=args.max_tokens, mode=args.mode)
            code = _print_events(engine, args.mode, ask)
        finally:
            if local is not None:
                local.close()
            if remote is not None:
                remote.close()
        _print_egress(ledger, before)
    return code


def read_instruction(args: argparse.Namespace) -> str:
    """The instruction: the argument, stdin for '-', or the text of ``--file`` (an argument
    list has a size limit; a long instruction comes through stdin or a file)."""
    given = [x for x in (args.instruction, args.file) if x is not None]
    if len(given) != 1:
        raise CogenesisError(
            "Give the instruction once." if given else "No instruction was given.",
            "As an argument, '-' to read it from stdin, or --file PATH.",
        )
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CogenesisError(
                f"Cannot read the instruction from {args.file}: {exc}.",
                "Give a readable UTF-8 text file.",
            ) from exc
    elif args.instruction == "-":
        text = sys.stdin.read()
    else:
        text = args.instruction
    if not text.strip():
        raise CogenesisError("The instruction is empty.", "Write what you want done.")
    return str(text)


def _print_events(engine: Engine, mode: str, ask: object) -> int:
    code = 0
    outline = ""
    progress = ReadingLine(sys.stderr)
    for event in engine.run(mode, ask, CancelToken()):  # type: ignore[arg-type]
        if isinstance(event, Reading):
            progress.show(event)
        elif isinstance(event, Token):
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif isinstance(event, ContextUsed):
            used = ", ".join(event.items) or "none"
            print(f"[private context shown to the local model: {used}]", file=sys.stderr)
        elif isinstance(event, PublicPart):
            print(f"[what the cloud sees of the request: {event.text}]", file=sys.stderr)
        elif isinstance(event, Phase) and event.name == "expanding":
            print(f"[outline from the cloud]\n{outline.strip()}\n[answer]", file=sys.stderr)
        elif isinstance(event, SketchText):
            outline = event.text
        elif isinstance(event, Notice):
            print(f"\n[{event.text}]", file=sys.stderr)
        elif isinstance(event, Failed):
            print(f"\nerror: {event.error.message}\n  {event.error.hint}", file=sys.stderr)
            code = 1
        elif isinstance(event, Done):
            s = event.stats
            ttft = f"{s.first_token_ms:.0f} ms" if s.first_token_ms is not None else "-"
            print(
                f"\n[{event.finish_reason}; first token {ttft}, total {s.total_ms:.0f} ms; "
                f"remote calls {s.remote_calls}, local tokens {s.local_tokens}]",
                file=sys.stderr,
            )
    return code


class ReadingLine:
    """How far the local model has read its prompt, on stderr: one line kept up to date on a
    terminal, a line at the start and at the end otherwise (a log stays short)."""

    MIN_TOKENS = 256  # shorter prompts are read too fast for a line to help

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()

    def show(self, event: Reading) -> None:
        left = event.total - event.reused
        if left < self.MIN_TOKENS:
            return
        reused = f" ({event.reused:,} kept from before)" if event.reused else ""
        text = f"[reading the prompt: {event.done:,} of {event.total:,} tokens{reused}]"
        finished = event.done >= event.total
        if self._tty:
            self._stream.write("\r" + text + ("\n" if finished else ""))
        elif finished or event.done == event.reused:
            self._stream.write(text + "\n")
        self._stream.flush()


def _print_egress(ledger: EgressLedger, after: int) -> None:
    records = [r for r in ledger.records(limit=200) if r.id > after]
    if not records:
        print("[nothing left this device]", file=sys.stderr)
        return
    print(f"[what left this device: {len(records)} request(s)]", file=sys.stderr)
    for r in reversed(records):
        print(
            f"  {r.method} {r.host}{r.path}  {len(r.request_body):,} B sent, "
            f"{r.response_size:,} B received, {r.outcome} ({r.verdict})",
            file=sys.stderr,
        )
