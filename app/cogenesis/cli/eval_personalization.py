"""`cogenesis eval personalization`: the paper's protocol on a CoGenesis-format dataset, with
what left the device, written per sample as it finishes (``--resume`` continues a cut run)."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cogenesis.cli.context import CliContext
from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation import report, summary
from cogenesis.core.evaluation.dataset import Sample, load_samples
from cogenesis.core.evaluation.job import (
    NEEDS_LOCAL,
    NEEDS_REMOTE,
    JobSetup,
    RemoteFor,
    Strategy,
    parse_strategies,
    run_job,
)
from cogenesis.core.evaluation.results import Result, ResultStore
from cogenesis.core.evaluation.vaults import EphemeralKeyStore
from cogenesis.core.settings import Settings, load_settings
from cogenesis.core.vault import Vault

if TYPE_CHECKING:
    from cogenesis.adapters.llama import LlamaLocalModel
    from cogenesis.adapters.remote import DemoServer, OpenAIRemote

EXTRA_HINT = "Install the evaluation extra: pip install 'cogenesis-desktop[eval]'."


def register(cmds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = cmds.add_parser(
        "personalization",
        help="answer each sample with each strategy; score, and measure what left",
        description="Each sample's user goes into a throwaway vault; every answer goes through "
        "the app's engine, privacy guard and egress ledger. Writes results.jsonl (one line per "
        "sample and strategy, as each finishes), report.md and PNG charts into --out.",
    )
    p.add_argument("--dataset", type=Path, required=True, help="a CoGenesis-format JSON/JSONL")
    p.add_argument(
        "--strategies",
        default="local,cloud,full,sketch,logit",
        help="comma-separated: local, cloud, full, sketch, logit[:shift|product|adaptive]",
    )
    p.add_argument("--local-model", type=Path, help="a GGUF (default: the one in settings)")
    p.add_argument("--remote-url", help="an OpenAI-compatible base URL (default: settings)")
    p.add_argument("--remote-model", help="the model name at --remote-url")
    p.add_argument(
        "--remote-chat-template-from-gguf",
        type=Path,
        metavar="GGUF",
        help="the remote model's chat template, for logit fusion through /completions",
    )
    p.add_argument("--limit", type=int, default=0, help="at most this many samples (0: all)")
    p.add_argument("--skip", type=int, default=0, help="start after this many samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--stall-seconds", type=int, help="give up on a silent remote (settings)")
    p.add_argument("--judge-url", help="an OpenAI-compatible endpoint that scores answers 1-10")
    p.add_argument("--judge-model", help="the judge's model name")
    p.add_argument(
        "--concurrency", type=int, default=1, help="remote-side jobs at once (local: one)"
    )
    p.add_argument("--out", type=Path, help="the run's folder (default: a new one in the app's)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out")
    p.set_defaults(func=cmd_personalization)


@dataclass
class Plan:
    samples: list[Sample]
    strategies: list[Strategy]
    out: Path
    started: str


def cmd_personalization(ctx: CliContext, args: argparse.Namespace) -> int:
    _need_extra()
    plan = _plan(ctx, args)
    store = ResultStore(plan.out / "results.jsonl", resume=args.resume)
    wanted = [(s, st) for s in plan.samples for st in plan.strategies]
    todo = [(s, st) for s, st in wanted if (s.id, st.name) not in store.done]
    print(
        f"{len(plan.samples)} sample(s) × {len(plan.strategies)} strateg(ies): "
        f"{len(todo)} to run, {len(wanted) - len(todo)} already done; results in {plan.out}",
        file=sys.stderr,
    )
    begun = time.perf_counter()
    with contextlib.ExitStack() as stack:
        setup, described = _setup(ctx, args, plan, stack)
        _run_all(setup, todo, store, max(1, args.concurrency))
    results = [store.done[(s.id, st.name)] for s, st in wanted if (s.id, st.name) in store.done]
    info = report.RunInfo(
        dataset=str(args.dataset),
        samples=len(plan.samples),
        local_model=described["local"],
        remote=described["remote"],
        judge=described["judge"],
        max_tokens=args.max_tokens,
        seed=args.seed,
        started=plan.started,
        seconds=time.perf_counter() - begun,
        command=shlex.join(["cogenesis", *sys.argv[1:]]),
    )
    path = write_report(plan.out, info, results)
    print(f"Report: {path}", file=sys.stderr)
    return 0


def _need_extra() -> None:
    try:
        import matplotlib  # noqa: F401
        import rouge_score  # noqa: F401
        import tqdm  # noqa: F401
    except ImportError as exc:
        raise CogenesisError(
            f"Evaluation needs {exc.name}, which is not installed.", EXTRA_HINT
        ) from None


def _plan(ctx: CliContext, args: argparse.Namespace) -> Plan:
    strategies = parse_strategies(args.strategies)
    if args.limit < 0 or args.skip < 0 or args.max_tokens < 1 or args.concurrency < 1:
        raise CogenesisError(
            "--limit and --skip must be 0 or more; --max-tokens and --concurrency 1 or more.",
            "Fix the number and run again.",
        )
    if bool(args.judge_url) != bool(args.judge_model):
        raise CogenesisError("A judge needs both --judge-url and --judge-model.", "Give both.")
    samples = load_samples(args.dataset)[args.skip :]
    samples = samples[: args.limit] if args.limit else samples
    if not samples:
        raise CogenesisError(f"--skip {args.skip} leaves no sample.", "Lower --skip.")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = args.out or ctx.paths.data_dir / "evaluations" / f"personalization-{stamp}"
    if args.resume and args.out is None:
        raise CogenesisError("--resume needs the --out folder of the run to continue.", "")
    return Plan(samples, strategies, out, datetime.now(UTC).isoformat(timespec="seconds"))


def _setup(
    ctx: CliContext, args: argparse.Namespace, plan: Plan, stack: contextlib.ExitStack
) -> tuple[JobSetup, dict[str, str]]:
    from cogenesis.adapters.remote import demo_if_chosen

    modes = {s.mode for s in plan.strategies}
    settings = load_settings(ctx.paths.settings_file)
    if args.stall_seconds:
        settings = replace(settings, remote_stall_seconds=args.stall_seconds)
    described = {"local": "none", "remote": "none", "judge": ""}
    remote_for = None
    demo = None
    if modes & set(NEEDS_REMOTE):
        settings = _remote_settings(settings, args)
        demo = stack.enter_context(demo_if_chosen(settings, ctx.paths))
        settings, described["remote"] = _probed(settings, demo)
        remote_for = _remote_factory(settings, demo)
    local = twin = None
    if modes & set(NEEDS_LOCAL):
        local, described["local"] = _local_model(
            settings, args, demo is not None or _loopback(settings)
        )
        stack.callback(local.close)  # closes its twin too
        twin = local.twin() if "logit" in modes else None
    judge = None
    if args.judge_url:
        from cogenesis.adapters.remote.plain_chat import chat_asker

        judge, close = chat_asker(
            args.judge_url, args.judge_model, plan.out / "judge-requests.jsonl", max_tokens=400
        )
        stack.callback(close)
        described["judge"] = f"{args.judge_model} at {args.judge_url} (sees the dataset's profiles)"
    local_lock = threading.Lock()
    setup = JobSetup(
        local=local,
        twin=twin,
        remote_for=remote_for,
        local_turn=lambda: local_lock,
        max_tokens=args.max_tokens,
        seed=args.seed,
        judge=judge,
    )
    return setup, described


def _remote_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    if not args.remote_url:
        return settings
    if not args.remote_model:
        raise CogenesisError("--remote-url needs --remote-model.", "Name the endpoint's model.")
    template = ""
    if args.remote_chat_template_from_gguf:
        from cogenesis.core.llm.gguf import read_header

        header = read_header(args.remote_chat_template_from_gguf)
        template = str(header.get("tokenizer.chat_template", ""))
    return replace(
        settings,
        remote_provider="custom",
        remote_base_url=args.remote_url,
        remote_model=args.remote_model,
        remote_chat_template=template,
        remote_capabilities={},
    )


def _loopback(settings: Settings) -> bool:
    return any(h in settings.remote_base_url for h in ("://127.0.0.1", "://localhost", "://[::1]"))


def _probed(settings: Settings, demo: DemoServer | None) -> tuple[Settings, str]:
    """The settings with the endpoint's capabilities (probed once, in a throwaway vault, when
    the settings hold none for it), and how the report names the remote."""
    from cogenesis.adapters.remote import DEMO_LABEL
    from cogenesis.adapters.remote.factory import remote_from_settings
    from cogenesis.core.egress import egress_context, probe_context
    from cogenesis.core.vault import VaultFiles, create_vault

    label = (
        DEMO_LABEL
        if settings.remote_provider == "demo"
        else f"{settings.remote_model} at {settings.remote_base_url}"
    )
    if settings.remote_capabilities:
        return settings, label
    with tempfile.TemporaryDirectory() as folder:
        vault = create_vault(VaultFiles(Path(folder) / "v"), EphemeralKeyStore())
        remote = remote_from_settings(settings, vault, demo)
        try:
            with egress_context(probe_context("private")):
                capabilities = remote.probe()
        finally:
            remote.close()
            vault.lock()
    found = asdict(capabilities)
    found["notes"] = list(found.get("notes", ()))
    return replace(settings, remote_capabilities=found), label


def _remote_factory(settings: Settings, demo: DemoServer | None) -> RemoteFor:
    from cogenesis.adapters.remote.factory import remote_from_settings

    @contextlib.contextmanager
    def remote_for(vault: Vault) -> Iterator[OpenAIRemote]:
        # consent to the context: only the full strategy sends it (the engine checks the
        # others as in private mode)
        remote = remote_from_settings(settings, vault, demo, consent=lambda _c: True)
        try:
            yield remote
        finally:
            remote.close()

    return remote_for


def _local_model(
    settings: Settings, args: argparse.Namespace, shared: bool
) -> tuple[LlamaLocalModel, str]:
    from cogenesis.adapters.llama import LlamaLocalModel
    from cogenesis.adapters.models import chosen_model_path
    from cogenesis.core.llm.threads import physical_cores, plan_threads

    path = args.local_model or chosen_model_path(settings)
    budget = plan_threads(
        physical_cores(), demo=shared, generation=settings.threads, batch=settings.batch_threads
    )
    model = LlamaLocalModel(
        path, context_size=settings.context_size, device=settings.device, threads=budget
    )
    print(f"[{budget.describe()}]", file=sys.stderr)
    return model, Path(path).name


def _run_all(
    setup: JobSetup, todo: list[tuple[Sample, Strategy]], store: ResultStore, concurrency: int
) -> None:
    from tqdm import tqdm

    with tqdm(total=len(todo), desc="answers", unit="answer", file=sys.stderr) as bar:
        if concurrency == 1:
            for sample, strategy in todo:
                _finish(store, bar, run_job(setup, sample, strategy))
            return
        with ThreadPoolExecutor(concurrency) as pool:
            futures = [pool.submit(run_job, setup, s, st) for s, st in todo]
            for future in as_completed(futures):
                _finish(store, bar, future.result())


def _finish(store: ResultStore, bar: Any, result: Result) -> None:
    store.add(result)
    bar.set_postfix_str(f"{result.sample_id} {result.strategy}", refresh=False)
    bar.update(1)


def write_report(out: Path, info: report.RunInfo, results: list[Result]) -> Path:
    """report.md and its charts in ``out``, from ``results``."""
    from cogenesis.cli.eval_charts import draw_charts

    summaries = summary.summarize(results)
    charts = draw_charts(out, summaries)
    text = report.render(
        info, summaries, summary.compare(results), summary.closures(results), charts
    )
    path = out / "report.md"
    path.write_text(text, encoding="utf-8")
    return path
