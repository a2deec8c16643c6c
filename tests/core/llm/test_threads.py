"""The thread budget: the app's llama.cpp contexts never ask for more cores than there are."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogenesis.core.llm.threads import Threads, fit_to_load, plan_threads


def test_alone_the_local_model_gets_every_core() -> None:
    budget = plan_threads(8)
    assert budget.local == Threads(8, 8) and budget.adaptive


def test_beside_the_demo_endpoint_the_cores_are_shared() -> None:
    assert (plan_threads(2, demo=True).local, plan_threads(2, demo=True).demo) == (
        Threads(1, 1),
        Threads(1, 1),
    )
    eight = plan_threads(8, demo=True)
    assert eight.local.generation + eight.demo.generation == 8


@given(cores=st.integers(1, 256), demo=st.booleans())
def test_together_the_contexts_never_ask_for_more_cores_than_there_are(
    cores: int, demo: bool
) -> None:
    budget = plan_threads(cores, demo=demo)
    used = budget.local.generation + (budget.demo.generation if demo else 0)
    assert used <= max(cores, 2 if demo else 1)
    assert min(budget.local.generation, budget.local.batch, budget.demo.generation) >= 1


def test_the_users_choice_is_kept_and_the_demo_gets_what_is_left() -> None:
    budget = plan_threads(8, demo=True, generation=6, batch=7)
    assert budget.local == Threads(6, 7) and not budget.adaptive
    assert budget.demo == Threads(2, 2)
    assert plan_threads(4, generation=3).local == Threads(3, 3)


def test_busy_cores_are_taken_out_of_the_share_and_given_back() -> None:
    share = Threads(2, 2)
    assert fit_to_load(share, 2, busy_elsewhere=0.1) == share
    assert fit_to_load(share, 2, busy_elsewhere=0.7) == Threads(1, 1)  # one core taken
    assert fit_to_load(share, 2, busy_elsewhere=2.0) == Threads(1, 1)  # never below one
    assert fit_to_load(Threads(6, 8), 8, busy_elsewhere=3.0) == Threads(5, 5)


def test_the_budget_in_words() -> None:
    assert plan_threads(2, demo=True).describe() == (
        "local model: 1 thread; demo endpoint: 1 thread of 2 cores, fewer while other "
        "programs are busy"
    )
    assert Threads(2, 4).describe() == "2 threads (4 for prompts)"
