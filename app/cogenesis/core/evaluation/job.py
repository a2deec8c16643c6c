"""One strategy on one sample, through the same engine, guard and choke point as the app,
and what it measured (the answer's scores, and what left the device from the ledger)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace

from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Failed, Notice, Token
from cogenesis.core.collab.fusion import FUSION_PRESETS
from cogenesis.core.egress import EgressLedger
from cogenesis.core.egress.ledger import EgressRecord
from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation import judge as judging
from cogenesis.core.evaluation.dataset import Sample
from cogenesis.core.evaluation.metrics import (
    coverage,
    leaked_terms,
    profile_details,
    rouge_l,
    sensitive_terms,
)
from cogenesis.core.evaluation.results import Result
from cogenesis.core.evaluation.vaults import sample_vault
from cogenesis.core.llm import CancelToken, LocalModel
from cogenesis.core.policy import Consents
from cogenesis.core.privacy import IndexCache
from cogenesis.core.remote import RemoteModel
from cogenesis.core.vault import Vault

MODES = ("local", "cloud", "full", "sketch", "logit")
NEEDS_REMOTE = ("cloud", "full", "sketch", "logit")
NEEDS_LOCAL = ("local", "sketch", "logit", "full")  # full: the local side picks the context
RUNS_LOCALLY = ("local", "sketch", "logit")  # the local model generates: one job at a time


@dataclass(frozen=True)
class Strategy:
    """A row of the evaluation: an answer mode, and logit fusion's rule."""

    name: str
    mode: str
    rule: str | None = None


def parse_strategies(text: str) -> list[Strategy]:
    """``local,cloud,full,sketch,logit[:rule]`` → strategies (a clear error for a bad one)."""
    found: list[Strategy] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        mode, _, rule = item.partition(":")
        if mode not in MODES or (rule and (mode != "logit" or rule not in FUSION_PRESETS)):
            raise CogenesisError(
                f"Unknown strategy {item!r}.",
                f"Choose from {', '.join(MODES)}; logit takes a rule: "
                f"{', '.join(f'logit:{r}' for r in FUSION_PRESETS)}.",
            )
        name = f"logit:{rule or 'shift'}" if mode == "logit" else mode
        if name not in (s.name for s in found):
            found.append(Strategy(name, mode, rule or ("shift" if mode == "logit" else None)))
    if not found:
        raise CogenesisError(
            "No strategy was given.", "For example: --strategies local,cloud,sketch"
        )
    return found


RemoteFor = Callable[[Vault], AbstractContextManager[RemoteModel]]


@dataclass(frozen=True)
class JobSetup:
    """What every job shares. ``remote_for``: a remote wired to that vault's guard and ledger,
    with consent to send the context (only the ``full`` strategy does). ``local_turn``: held
    while a job runs the local model (one at a time; remote-only work runs alongside)."""

    local: LocalModel | None
    twin: LocalModel | None
    remote_for: RemoteFor | None
    local_turn: Callable[[], AbstractContextManager[object]]
    max_tokens: int
    seed: int
    temperature: float = 0.0
    judge: judging.Ask | None = None


def run_job(setup: JobSetup, sample: Sample, strategy: Strategy) -> Result:
    with sample_vault(sample) as vault:
        result = _answer_in(vault, setup, sample, strategy)
    if setup.judge is not None and result.text.strip():
        result.judge = judging.judge_answer(setup.judge, sample, result.text)
    return result


def _answer_in(vault: Vault, setup: JobSetup, sample: Sample, strategy: Strategy) -> Result:
    remote_cm = (
        setup.remote_for(vault)
        if setup.remote_for is not None and strategy.mode in NEEDS_REMOTE
        else nullcontext(None)
    )
    with remote_cm as remote:
        local = setup.local if strategy.mode in NEEDS_LOCAL else None
        engine = Engine(
            vault,
            local,
            remote,
            privacy_mode="full-context",  # every strategy but full is checked as private
            twin=setup.twin if strategy.mode == "logit" else None,
            consents=Consents(frozenset({None})),
            fusion=FUSION_PRESETS[strategy.rule or "shift"],
        )
        turn = setup.local_turn() if strategy.mode in RUNS_LOCALLY else nullcontext()
        started = time.perf_counter()
        with turn:
            result = _collect(engine, setup, sample, strategy)
        result.total_ms = result.total_ms or (time.perf_counter() - started) * 1000
    _measure_egress(vault, sample, result)
    return result


def _collect(engine: Engine, setup: JobSetup, sample: Sample, strategy: Strategy) -> Result:
    result = Result(sample.id, strategy.name)
    try:
        ask = engine.prepare(sample.instruction, max_tokens=setup.max_tokens, mode=strategy.mode)
    except CogenesisError as exc:
        result.error = exc.message
        return result
    ask = replace(ask, temperature=setup.temperature, seed=setup.seed)
    text: list[str] = []
    for event in engine.run(strategy.mode, ask, CancelToken()):
        if isinstance(event, Token):
            text.append(event.text)
        elif isinstance(event, Notice):
            result.notices.append(event.text)
        elif isinstance(event, Failed):
            result.error = event.error.message
            text = [event.partial] if event.partial else text
        elif isinstance(event, Done):
            _stats(result, event)
    result.text = "".join(text)
    result.rouge_l = rouge_l(sample.reference, result.text)
    result.coverage = coverage(result.text, profile_details(sample))
    return result


def _stats(result: Result, done: Done) -> None:
    s = done.stats
    result.finish_reason = done.finish_reason
    result.remote_calls = s.remote_calls
    result.remote_tokens = s.remote_tokens
    result.generated_tokens = s.local_tokens or s.remote_tokens
    result.first_token_ms = s.first_token_ms
    result.total_ms = s.total_ms
    if "billed_tokens" in s.extra:
        result.billed_tokens = int(s.extra["billed_tokens"])


def _measure_egress(vault: Vault, sample: Sample, result: Result) -> None:
    """Leakage, refusals and bytes from this job's ledger (its vault saw only this job)."""
    records = EgressLedger(vault.db).records(limit=100_000)
    sent = [r for r in records if not r.refused]
    result.refused = len(records) - len(sent)
    result.requests = len(sent)
    result.bytes_sent = sum(len(r.request_body) for r in sent)
    if result.refused and not result.error:
        result.error = "the privacy guard stopped a request"
    terms = sensitive_terms(sample, (t for t, _ in IndexCache(vault).get().terms))
    result.sensitive_terms = len(terms)
    result.leaked = leaked_terms(terms, (r.text_sent for r in sent))
    if result.billed_tokens is None:
        result.billed_tokens = reported_usage(sent)


def reported_usage(records: Sequence[EgressRecord]) -> int | None:
    """Prompt + completion tokens the endpoint reported for these requests; None when one of
    them reported none (a streamed answer without a usage chunk)."""
    total = 0
    for record in records:
        usage = _usage_in(record.response_body or b"")
        if usage is None:
            return None
        total += usage
    return total


def _usage_in(body: bytes) -> int | None:
    text = body.decode("utf-8", "replace")
    chunks = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")] or [text]
    for chunk in reversed(chunks):
        try:
            usage = json.loads(chunk).get("usage")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(usage, dict) and "prompt_tokens" in usage:
            return int(usage.get("prompt_tokens") or 0) + int(usage.get("completion_tokens") or 0)
    return None
