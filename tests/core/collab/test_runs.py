"""Run verification against per-token fusion, with deterministic fake models."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.drafts import TwinDrafter
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.collab.runs import (
    FusionStats,
    RemotePosition,
    RunLength,
    per_token_fusion,
    run_verification,
)
from cogenesis.core.llm.distribution import TokenDistribution, log_softmax

VOCAB = 40
END = 0


def logits(seed: str, prefix: Sequence[int], sharpness: float) -> np.ndarray:
    """A deterministic distribution that depends on the whole prefix (and favours end late)."""
    digest = hashlib.sha256(f"{seed}|{','.join(map(str, prefix))}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
    values = rng.normal(size=VOCAB) * sharpness
    values[(len(prefix) * 7) % VOCAB] += 2.0  # the two models share some preferences
    values[END] += -6.0 + 0.4 * len(prefix)
    return values.astype(np.float32)


class FakeLocal:
    def __init__(self, seed: str, sharpness: float = 1.5) -> None:
        self.seed, self.sharpness = seed, sharpness

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution:
        return TokenDistribution(log_softmax(logits(self.seed, prefix, self.sharpness)))

    def score_run(self, prefix: Sequence[int], run: Sequence[int]) -> list[TokenDistribution]:
        return [self.next_token_distribution([*prefix, *run[:i]]) for i in range(len(run) + 1)]


class FakeRemote:
    """Sees only the answer (the public prompt is its own); greedy runs with top-k."""

    def __init__(self, seed: str, k: int = 5) -> None:
        self.seed, self.k = seed, k
        self.seen: list[list[int]] = []
        self.drafts: list[list[int]] = []

    def _top(self, answer: Sequence[int]) -> list[tuple[int, float]]:
        lp = log_softmax(logits(self.seed, [999, *answer], 2.5))
        ids = np.argsort(-lp)[: self.k]
        return [(int(i), float(lp[i])) for i in ids]

    def run(
        self, answer: Sequence[int], length: int, draft: Sequence[int] = ()
    ) -> list[RemotePosition]:
        self.seen.append(list(answer))
        self.drafts.append(list(draft))
        positions, current = [], list(answer)
        for token in draft:  # scored, as a prompt with echo would be
            positions.append(RemotePosition(token, tuple(self._top(current))))
            current.append(token)
        for _ in range(length):
            top = self._top(current)
            positions.append(RemotePosition(top[0][0], tuple(top)))
            if top[0][0] == END:
                break
            current.append(top[0][0])
        return positions


PROMPT = [101, 102, 103]  # private: the local model's prompt


def generate(  # type: ignore[no-untyped-def]
    kind: str,
    seed: str,
    config: FusionConfig,
    max_tokens: int = 60,
    proxy: str = "",
    rng: SampleNoise | None = None,
):
    """``kind``: per-token, runs, or draft (runs with a drafter whose stand-in for the remote
    has seed ``proxy``: the remote's own seed makes it a perfect stand-in)."""
    local, remote, stats = FakeLocal(f"L{seed}"), FakeRemote(f"R{seed}"), FusionStats()
    extra: dict[str, object] = {}
    if config.rule == "shift":  # the local model on the remote's side, here another fake
        extra["baseline"] = PublicBaseline(FakeLocal(f"B{seed}"), [999])
    if kind == "draft":
        stand_in = FakeLocal(proxy, sharpness=2.5)
        drafter = TwinDrafter(
            local, PROMPT, stand_in, [999], frozenset({END}), config, top_k=5, noise=rng
        )
        extra["drafter"] = drafter
    fusion = per_token_fusion if kind == "per-token" else run_verification
    tokens = list(
        fusion(
            local,
            PROMPT,
            remote,
            frozenset({END}),
            max_tokens=max_tokens,
            config=config,
            stats=stats,
            rng=rng,
            **extra,
        )
    )
    return tokens, stats, remote


RULES = st.sampled_from(["product", "shift"])


@settings(max_examples=60, deadline=None)
@given(seed=st.text(max_size=6), weight=st.floats(0.0, 1.0), adaptive=st.booleans(), rule=RULES)
def test_greedy_run_verification_equals_per_token_fusion(
    seed: str, weight: float, adaptive: bool, rule: str
) -> None:
    config = FusionConfig(
        rule=rule, remote_weight=weight, adaptive=adaptive, shift=weight * 2, correction=weight
    )
    reference, per_token, _ = generate("per-token", seed, config)
    verified, stats, remote = generate("runs", seed, config)
    assert verified == reference
    assert stats.generated == per_token.generated == len(reference)
    assert stats.remote_calls <= per_token.remote_calls
    for answer in remote.seen:  # the remote only ever saw accepted answer prefixes
        assert answer == verified[: len(answer)]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.text(max_size=6),
    weight=st.floats(0.0, 1.0),
    adaptive=st.booleans(),
    good_proxy=st.booleans(),
    max_tokens=st.integers(1, 50),
    rule=RULES,
)
def test_greedy_drafted_verification_equals_per_token_fusion(
    seed: str, weight: float, adaptive: bool, good_proxy: bool, max_tokens: int, rule: str
) -> None:
    config = FusionConfig(
        rule=rule, remote_weight=weight, adaptive=adaptive, shift=weight * 2, correction=weight
    )
    reference, per_token, _ = generate("per-token", seed, config, max_tokens)
    proxy = f"R{seed}" if good_proxy else f"X{seed}"
    drafted, stats, remote = generate("draft", seed, config, max_tokens, proxy=proxy)
    assert drafted == reference
    assert stats.generated == per_token.generated == len(reference)
    assert stats.remote_calls <= per_token.remote_calls
    for answer, draft in zip(remote.seen, remote.drafts, strict=True):
        assert answer == drafted[: len(answer)]  # only accepted prefixes as the answer
        assert len(answer) + len(draft) <= max_tokens


@settings(max_examples=30, deadline=None)
@given(
    seed=st.text(max_size=6),
    draw=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["runs", "draft"]),
    rule=RULES,
)
def test_sampled_runs_draw_the_same_tokens_as_per_token_fusion(
    seed: str, draw: int, kind: str, rule: str
) -> None:
    """Each token is drawn from the same fused distribution with the same noise."""
    config = FusionConfig(rule=rule, remote_weight=0.5, temperature=0.8)
    reference, _, _ = generate("per-token", seed, config, rng=SampleNoise(draw))
    tokens, _, _ = generate(kind, seed, config, proxy=f"R{seed}", rng=SampleNoise(draw))
    assert tokens == reference


def test_a_good_draft_covers_several_disagreements_per_call() -> None:
    config = FusionConfig(remote_weight=0.5)
    _, runs, _ = generate("runs", "d", config, max_tokens=60)
    tokens, drafted, remote = generate("draft", "d", config, max_tokens=60, proxy="Rd")
    disagreements = sum(
        token != remote_greedy(remote, tokens[:i]) for i, token in enumerate(tokens)
    )
    assert drafted.remote_calls < disagreements  # fewer calls than disagreements
    assert drafted.calls_per_token < runs.calls_per_token / 2, (drafted, runs)


def remote_greedy(remote: FakeRemote, answer: Sequence[int]) -> int:
    return remote._top(answer)[0][0]


def test_fewer_calls_when_the_models_agree() -> None:
    config = FusionConfig(remote_weight=0.9)  # the remote dominates: its runs are accepted
    _, stats, _ = generate("runs", "agree", config, max_tokens=60)
    _, reference, _ = generate("per-token", "agree", config, max_tokens=60)
    assert reference.calls_per_token == 1.0
    assert stats.calls_per_token < 0.35, (stats.calls_per_token, stats.run_lengths)


def test_run_length_adapts() -> None:
    length = RunLength(start=8)
    length.update(8, 8)
    assert length.value == 16
    for _ in range(4):
        length.update(1, length.value)
    assert length.value == 4


def test_end_token_needs_both_models() -> None:
    from cogenesis.core.collab.fusion import choose, fuse

    local = log_softmax(np.array([5.0, 1.0, 0.0], dtype=np.float32))  # local wants END (id 0)
    top = [(1, -0.05), (2, -3.0)]  # the remote does not have END in its top-k
    config = FusionConfig(remote_weight=0.05)
    fused = fuse(local, top, config)
    assert int(np.argmax(fused)) == 0  # fusion alone would end the answer here
    assert choose(fused, local, top, frozenset({0}), config) == 1


@pytest.mark.parametrize("weight", [0.0, 1.0])
def test_extreme_weights_follow_one_model(weight: float) -> None:
    from cogenesis.core.collab.fusion import fuse

    local = log_softmax(np.array([3.0, 1.0, 0.0, 0.0], dtype=np.float32))
    top = [(2, -0.1), (1, -2.5)]
    fused = fuse(local, top, FusionConfig(remote_weight=weight))
    assert int(np.argmax(fused)) == (0 if weight == 0.0 else 2)


def test_schedule_without_local_steps_is_per_token_fusion() -> None:
    from cogenesis.core.collab.runs import Schedule, scheduled_fusion

    config = FusionConfig(remote_weight=0.5)
    reference, per_token, _ = generate("per-token", "s", config)
    local, remote, stats = FakeLocal("Ls"), FakeRemote("Rs"), FusionStats()
    always = Schedule(first=0, local_steps=0, fused_steps=1)
    tokens = list(
        scheduled_fusion(
            local,
            [101, 102, 103],
            remote,
            frozenset({END}),
            max_tokens=60,
            config=config,
            stats=stats,
            schedule=always,
        )
    )
    assert tokens == reference and stats.remote_calls == per_token.remote_calls


def test_schedule_calls_only_on_fused_steps() -> None:
    from cogenesis.core.collab.runs import Schedule, scheduled_fusion

    schedule = Schedule(first=2, local_steps=3, fused_steps=1)
    assert [schedule.fused(i) for i in range(10)] == [
        True,
        True,
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
    ]
    stats = FusionStats()
    tokens = list(
        scheduled_fusion(
            FakeLocal("L"),
            [1],
            FakeRemote("R"),
            frozenset(),
            max_tokens=10,
            stats=stats,
            schedule=schedule,
        )
    )
    assert len(tokens) == 10 and stats.remote_calls == 4
