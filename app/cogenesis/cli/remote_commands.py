"""`cogenesis remote …`: configure the cloud endpoint, test it, see what left the device."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, replace
from pathlib import Path

from cogenesis.adapters.remote import (
    DEMO_LABEL,
    OpenAIRemote,
    build_client,
    config_from_settings,
    demo_if_chosen,
    save_api_key,
)
from cogenesis.cli.context import CliContext
from cogenesis.cli.prompts import read_secret
from cogenesis.core.egress import EgressLedger, egress_context, probe_context
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.settings import (
    PRIVACY_MODES,
    Settings,
    check_base_url,
    load_settings,
    save_settings,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remote = sub.add_parser("remote", help="the cloud model: configure, test, see the ledger")
    cmds = remote.add_subparsers(dest="remote_command", required=True, metavar="COMMAND")
    set_cmd = cmds.add_parser("set", help="choose the OpenAI-compatible endpoint")
    set_cmd.add_argument("--base-url", required=True, help="e.g. https://api.openai.com/v1")
    set_cmd.add_argument("--model", required=True)
    template = set_cmd.add_mutually_exclusive_group()
    template.add_argument(
        "--chat-template-file",
        type=Path,
        help="the remote model's Jinja chat template (for logit fusion)",
    )
    template.add_argument(
        "--chat-template-from-gguf",
        type=Path,
        help="take the chat template from a GGUF of the same model family",
    )
    set_cmd.add_argument(
        "--api-key-stdin",
        action="store_true",
        help="read the API key from stdin and keep it in the OS keyring",
    )
    _privacy_mode_flag(set_cmd)
    set_cmd.set_defaults(func=cmd_set)
    demo = cmds.add_parser(
        "demo", help="use the built-in demo endpoint (a stand-in for a cloud, on this computer)"
    )
    _privacy_mode_flag(demo)
    demo.set_defaults(func=cmd_demo)
    cmds.add_parser("test", help="probe the endpoint and print its capabilities").set_defaults(
        func=cmd_test
    )
    ledger = cmds.add_parser("ledger", help="what left this device, newest first")
    ledger.add_argument("--limit", type=int, default=20)
    ledger.add_argument("--show-body", action="store_true", help="print each request body")
    ledger.set_defaults(func=cmd_ledger)


def _privacy_mode_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--privacy-mode",
        choices=PRIVACY_MODES,
        help="also change the privacy mode (otherwise it is kept as it is)",
    )


def cmd_set(ctx: CliContext, args: argparse.Namespace) -> int:
    base_url = check_base_url(args.base_url)  # before anything is read or kept
    settings = load_settings(ctx.paths.settings_file)
    template = _kept_template(settings, base_url, args.model)
    if args.chat_template_file:
        template = args.chat_template_file.read_text(encoding="utf-8")
    elif args.chat_template_from_gguf:
        template = str(read_header(args.chat_template_from_gguf).get("tokenizer.chat_template", ""))
        if not template:
            raise CogenesisError(
                f"{args.chat_template_from_gguf.name} has no chat template.",
                "Use --chat-template-file instead.",
            )
    if args.api_key_stdin:
        save_api_key(base_url, read_secret("API key: "))
    updated = replace(
        settings,
        remote_provider="custom",
        remote_base_url=base_url,
        remote_model=args.model,
        remote_chat_template=template,
        remote_capabilities={},
    )
    save_settings(_privacy_mode(updated, args.privacy_mode), ctx.paths.settings_file)
    print(
        f"Remote endpoint: {updated.remote_base_url} (model {args.model}). "
        "Check it with: cogenesis remote test"
    )
    return 0


def _kept_template(settings: Settings, base_url: str, model: str) -> str:
    """The previous chat template, only for the same endpoint and model: another model's
    template would render prompts it was never trained on."""
    same = (settings.remote_base_url, settings.remote_model) == (base_url, model)
    if same or not settings.remote_chat_template:
        return settings.remote_chat_template if same else ""
    print(
        "The previous endpoint's chat template is not kept. Logit fusion through /completions "
        "needs this model's: --chat-template-from-gguf FILE or --chat-template-file FILE.",
        file=sys.stderr,
    )
    return ""


def cmd_demo(ctx: CliContext, args: argparse.Namespace) -> int:
    settings = load_settings(ctx.paths.settings_file)
    updated = replace(settings, remote_provider="demo", remote_capabilities={})
    save_settings(_privacy_mode(updated, args.privacy_mode), ctx.paths.settings_file)
    print(f"Remote endpoint: {DEMO_LABEL}. Check it with: cogenesis remote test")
    return 0


def _privacy_mode(settings: Settings, wanted: str | None) -> Settings:
    """What decides whether data leaves changes only when the user asked for it here."""
    if wanted is not None and wanted != settings.privacy_mode:
        print(f"Privacy mode: {settings.privacy_mode} -> {wanted}.", file=sys.stderr)
        return replace(settings, privacy_mode=wanted)
    if settings.privacy_mode == "offline":
        print(
            "Privacy mode stays offline: nothing is sent to this endpoint. To collaborate with "
            "it (nothing private leaves): cogenesis settings set privacy_mode private",
            file=sys.stderr,
        )
    return settings


def cmd_test(ctx: CliContext, args: argparse.Namespace) -> int:
    settings = load_settings(ctx.paths.settings_file)
    with demo_if_chosen(settings, ctx.paths) as demo:
        config = config_from_settings(settings, demo)
        with ctx.unlock() as vault:
            guard = PrivacyGuard(IndexCache(vault).get)
            remote = OpenAIRemote(config, build_client(config, guard, EgressLedger(vault.db)))
            try:
                with egress_context(probe_context(settings.privacy_mode)):
                    capabilities = remote.probe()
            finally:
                remote.close()
    save_settings(
        replace(settings, remote_capabilities=asdict(capabilities)), ctx.paths.settings_file
    )
    print(f"{config.base_url}  model {config.model}")
    print("\n".join(capabilities.lines()))
    for strategy in ("sketch", "logit"):
        missing = capabilities.missing_for(strategy)
        print(f"{strategy}: " + ("ready" if not missing else "missing " + ", ".join(missing)))
    return 0


def cmd_ledger(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.unlock() as vault:
        ledger = EgressLedger(vault.db)
        records = ledger.records(limit=args.limit)
        totals = ledger.totals()
    for r in records:
        print(
            f"{r.started_at[:19]}  {r.method} {r.host}{r.path}  sent {len(r.request_body):,} B"
            f"  received {r.response_size:,} B  {r.outcome}  [{r.privacy_mode}, {r.verdict}]"
        )
        if args.show_body:
            print("    " + r.request_body.decode("utf-8", errors="replace"))
            if r.request_reading:  # token ids, spelled out as they read when they left
                print("    read as text:\n" + _indent(r.request_reading))
    print(
        f"total: {totals.requests} requests ({totals.refused} refused), "
        f"{totals.bytes_sent:,} bytes sent, {totals.bytes_received:,} bytes received"
    )
    return 0


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())
