"""Branch verification against per-token fusion, with the deterministic fakes of test_runs."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cogenesis.core.collab.baseline import PublicBaseline
from cogenesis.core.collab.branches import (
    MAX_BRANCHES,
    Branch,
    branch_points,
    branch_verification,
    covering,
)
from cogenesis.core.collab.draft_odds import DraftCosts, DraftOdds
from cogenesis.core.collab.drafts import ScoredDraft, TwinDrafter
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.noise import SampleNoise
from cogenesis.core.collab.runs import FusionStats, RemotePosition, per_token_fusion
from cogenesis.core.llm.distribution import TokenDistribution
from tests.core.collab.test_runs import END, PROMPT, FakeLocal, FakeRemote, generate

ENDS = frozenset({END})


class FakeBranchRemote(FakeRemote):
    """Continues every branch of one request (each a prompt of its own)."""

    def __init__(self, seed: str, k: int = 5) -> None:
        super().__init__(seed, k)
        self.requests: list[list[list[int]]] = []
        self.held: list[list[int]] = []

    def branches(
        self, answer: Sequence[int], drafts: Sequence[Sequence[int]], length: int
    ) -> list[Branch]:
        sent = [list(d) for i, d in enumerate(drafts) if list(d) not in drafts[:i]]
        self.requests.append([[*answer, *d] for d in sent])
        return [(d, self.run([*answer, *d], length)) for d in sent]

    def forced(
        self, answer: Sequence[int], draft: Sequence[int], length: int
    ) -> list[RemotePosition]:
        """Held to the draft (its positions scored, as llama-server's grammar gives them),
        then free for ``length``."""
        self.requests.append([list(answer)])
        self.held.append(list(draft))
        return self.run(answer, length, draft)


# Drafting costs pinned (the fakes answer at once, and timing must not move the figures): a
# call worth 24 paired decodes (a remote about a second away, 50 ms a decode), where drafts
# go on while 0.2 likely.
CLOUD_COSTS = DraftCosts(call_s=1.2, decode_s=0.05, pinned=True)


def fused(  # type: ignore[no-untyped-def]
    kind: str,
    seed: str,
    config: FusionConfig,
    max_tokens: int = 60,
    twin: str = "",
    rng: SampleNoise | None = None,
    coupled: bool = True,
):
    """``kind``: per-token, branches or forced. The twin (seed ``twin``; the remote's own seed makes
    it a perfect stand-in) drafts, and is the shift rule's baseline on both sides."""
    local, remote, stats = FakeLocal(f"L{seed}"), FakeBranchRemote(f"R{seed}"), FusionStats()
    stand_in = FakeLocal(twin or f"X{seed}", sharpness=2.5)
    baseline = PublicBaseline(stand_in, [999]) if config.rule == "shift" else None
    if kind == "per-token":
        method = per_token_fusion(
            local,
            PROMPT,
            remote,
            ENDS,
            max_tokens=max_tokens,
            config=config,
            rng=rng,
            stats=stats,
            baseline=baseline,
        )
    else:
        noise = rng if coupled else None  # the draft sampled with the walk's noise, or greedy
        drafter = TwinDrafter(local, PROMPT, stand_in, [999], ENDS, config, top_k=5, noise=noise)
        method = branch_verification(
            local,
            PROMPT,
            remote,
            ENDS,
            max_tokens=max_tokens,
            drafter=drafter,
            config=config,
            rng=rng,
            stats=stats,
            baseline=baseline,
            forced=kind == "forced",
            odds=DraftOdds(costs=CLOUD_COSTS),
        )
    return list(method), stats, remote


RULES = st.sampled_from(["product", "shift"])
KINDS = st.sampled_from(["branches", "forced"])


@settings(max_examples=50, deadline=None)
@given(
    seed=st.text(max_size=6),
    weight=st.floats(0.0, 1.0),
    good_twin=st.booleans(),
    max_tokens=st.integers(1, 60),
    rule=RULES,
    kind=KINDS,
)
def test_greedy_branch_verification_equals_per_token_fusion(
    seed: str, weight: float, good_twin: bool, max_tokens: int, rule: str, kind: str
) -> None:
    config = FusionConfig(rule=rule, remote_weight=weight, shift=weight * 2, correction=weight)
    twin = f"R{seed}" if good_twin else f"X{seed}"
    reference, per_token, _ = fused("per-token", seed, config, max_tokens, twin)
    tokens, stats, remote = fused(kind, seed, config, max_tokens, twin)
    assert tokens == reference
    assert stats.generated == per_token.generated == len(reference)
    assert stats.remote_calls <= per_token.remote_calls
    for request in remote.requests:
        assert 1 <= len(request) <= MAX_BRANCHES
        answer = request[0]  # the first prompt is the accepted answer itself
        assert answer == tokens[: len(answer)]
        assert all(prompt[: len(answer)] == answer for prompt in request)


@settings(max_examples=25, deadline=None)
@given(seed=st.text(max_size=6), draw=st.integers(0, 2**32 - 1), rule=RULES, kind=KINDS)
def test_sampled_branches_draw_the_same_tokens_as_per_token_fusion(
    seed: str, draw: int, rule: str, kind: str
) -> None:
    config = FusionConfig(rule=rule, remote_weight=0.5, temperature=0.8)
    twin = f"R{seed}"
    reference, _, _ = fused("per-token", seed, config, twin=twin, rng=SampleNoise(draw))
    tokens, _, _ = fused(kind, seed, config, twin=twin, rng=SampleNoise(draw))
    assert tokens == reference


def test_a_sampled_answer_costs_about_the_calls_of_a_greedy_one() -> None:
    """The draft is sampled with the walk's own noise: with a twin that predicts the remote it
    is the walk's sample, as a greedy draft is the greedy answer. A greedy draft under a
    sampled walk is right far less often."""
    config = FusionConfig(rule="shift", temperature=0.8)
    calls = {"greedy": 0, "coupled": 0, "greedy draft": 0}
    tokens = dict.fromkeys(calls, 0)
    for n, seed in enumerate("abcdefgh"):
        for name, rng, coupled in [
            ("greedy", None, True),
            ("coupled", SampleNoise(n), True),
            ("greedy draft", SampleNoise(n), False),
        ]:
            answer, stats, _ = fused(
                "branches", seed, config, twin=f"R{seed}", rng=rng, coupled=coupled
            )
            calls[name] += stats.remote_calls
            tokens[name] += len(answer)
    rate = {name: calls[name] / tokens[name] for name in calls}
    assert rate["coupled"] <= 1.25 * rate["greedy"], rate
    assert rate["greedy draft"] >= 1.5 * rate["coupled"], rate


def test_a_good_twin_covers_many_disagreements_per_request() -> None:
    """With a twin that predicts the remote, one request covers up to ``MAX_BRANCHES``
    disagreements: a fraction of run verification's calls, which calls again at each one (the
    fakes disagree every second token or so)."""
    config = FusionConfig(remote_weight=0.5)
    runs, branches, tokens = 0, 0, 0
    for seed in "abcde":
        _, by_runs, _ = generate("runs", seed, config, max_tokens=60)
        answer, by_branches, _ = fused("branches", seed, config, max_tokens=60, twin=f"R{seed}")
        runs, branches = runs + by_runs.remote_calls, branches + by_branches.remote_calls
        tokens += len(answer)
    assert branches / tokens <= 0.15 and branches * 4 < runs, (branches, runs, tokens)


def test_forced_drafts_score_every_draft_position_in_one_prompt() -> None:
    """Held to the whole draft, one request covers every position where the fused tokens are
    the draft's: with a twin that predicts the remote, fewer calls than branches (which cover
    only up to ``MAX_BRANCHES`` points), each with one prompt, the draft held after it."""
    config = FusionConfig(rule="shift")
    counts = {"branches": 0, "forced": 0}
    tokens = 0
    for seed in "abcde":
        answer, by_branches, _ = fused("branches", seed, config, max_tokens=60, twin=f"R{seed}")
        _, by_forced, remote = fused("forced", seed, config, max_tokens=60, twin=f"R{seed}")
        counts["branches"] += by_branches.remote_calls
        counts["forced"] += by_forced.remote_calls
        tokens += len(answer)
        assert all(len(request) == 1 for request in remote.requests)
        assert sum(len(held) for held in remote.held) >= len(answer) // 2
    assert counts["forced"] < counts["branches"] and counts["forced"] / tokens <= 0.1, (
        counts,
        tokens,
    )


def position(token: int) -> RemotePosition:
    return RemotePosition(token, ((token, -0.1),))


def test_covering_needs_the_branch_prefix_and_a_run_that_followed() -> None:
    found: list[Branch] = [
        ([], [position(1), position(2), position(3)]),
        ([1, 5], [position(6), position(7)]),
    ]
    assert covering(found, []) == position(1)
    assert covering(found, [1, 2]) == position(3)
    assert covering(found, [1, 5]) == position(6)  # the second branch: its own prefix
    assert covering(found, [1, 5, 6]) == position(7)
    assert covering(found, [1, 4]) is None  # no branch starts [1, 4]
    assert covering(found, [1, 5, 8]) is None  # the run went 6, not 8
    assert covering(found, [1, 2, 3]) is None  # past the run's end


def test_branches_start_where_the_twin_would_go_elsewhere() -> None:
    sure, unsure = np.log([0.97, 0.01, 0.01, 0.01]), np.log([0.28, 0.24, 0.24, 0.24])
    other = np.log([0.01, 0.97, 0.01, 0.01])
    draft = ScoredDraft([0, 0, 0, 0], [sure] * 4, [sure, other, unsure, sure])
    assert branch_points(draft) == [0, 2, 3]  # after the token the twin rates low or unsure
    assert branch_points(draft, limit=2) == [0, 2]


class WaitingRemote(FakeBranchRemote):
    """Answers only once the local model has read the position after the request's draft."""

    def __init__(self, seed: str, local: RecordingLocal) -> None:
        super().__init__(seed)
        self.local = local

    def branches(
        self, answer: Sequence[int], drafts: Sequence[Sequence[int]], length: int
    ) -> list[Branch]:
        after = [*PROMPT, *answer, *max(drafts, key=len)]
        assert self.local.asked_for(after), "the local model was idle while the remote was asked"
        return super().branches(answer, drafts, length)


class RecordingLocal(FakeLocal):
    def __init__(self, seed: str) -> None:
        super().__init__(seed)
        self.asked: list[list[int]] = []
        self.changed = threading.Condition()

    def next_token_distribution(
        self, prefix: Sequence[int], top_k: int | None = None
    ) -> TokenDistribution:
        with self.changed:
            self.asked.append(list(prefix))
            self.changed.notify_all()
        return super().next_token_distribution(prefix, top_k)

    def asked_for(self, prefix: list[int]) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: prefix in self.asked, timeout=10)


def test_the_local_model_decodes_the_next_position_while_the_remote_is_asked() -> None:
    """The position after the draft (where the walk goes on when the answer takes all of it)
    is decoded while the request is away, and the walk does not decode it again."""
    local = RecordingLocal("Lz")
    remote = WaitingRemote("Rz", local)
    stand_in = FakeLocal("Rz", sharpness=2.5)
    config = FusionConfig(rule="shift")
    drafter = TwinDrafter(local, PROMPT, stand_in, [999], ENDS, config, top_k=5)
    answer = list(
        branch_verification(
            local,
            PROMPT,
            remote,
            ENDS,
            max_tokens=40,
            drafter=drafter,
            config=config,
            baseline=PublicBaseline(stand_in, [999]),
            odds=DraftOdds(costs=CLOUD_COSTS),
        )
    )
    reference, _, _ = fused("per-token", "z", config, max_tokens=40, twin="Rz")
    assert answer == reference
    assert len(local.asked) == len({tuple(p) for p in local.asked})  # no position twice
