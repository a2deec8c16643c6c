"""Issue 18, "answers that end": the token budget holds across phases (a local finish after a
failed remote included), counts in the summary are true, and a cut answer says ``length``."""

from __future__ import annotations

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.direct import cloud_without_context
from cogenesis.core.collab.events import Done, Event
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.logit import logit_fusion
from cogenesis.core.llm import CancelToken
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote

LONG = "Autumn leaves drift over the quiet park path. "


def ask(max_tokens: int, **changes: object) -> Ask:
    base = Ask(
        "Write about autumn",
        "Write about autumn",
        sanitize=lambda text: text,
        max_tokens=max_tokens,
        temperature=0.0,
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def done(events: list[Event]) -> Done:
    (last,) = [e for e in events if isinstance(e, Done)]
    return last


def test_a_fused_answer_cut_at_the_budget_says_length() -> None:
    local, remote = ScriptedLocal(prefers=LONG), ScriptedRemote(says=LONG)
    answer = done(list(logit_fusion(ask(12, fusion=FusionConfig()), local, remote, CancelToken())))
    assert answer.stats.local_tokens == 12 and answer.finish_reason == "length"


def test_a_fused_answer_that_ends_says_stop() -> None:
    local, remote = ScriptedLocal(prefers="Leaves fall."), ScriptedRemote(says="Leaves fall.")
    answer = done(list(logit_fusion(ask(40, fusion=FusionConfig()), local, remote, CancelToken())))
    assert answer.finish_reason == "stop"


def test_the_local_finish_keeps_the_budget_and_the_remote_calls_made() -> None:
    local = ScriptedLocal(prefers=LONG).enqueue(LONG * 4)
    remote = ScriptedRemote(says=LONG, fail_runs_after=3)
    events = list(logit_fusion(ask(30, fusion=FusionConfig()), local, remote, CancelToken()))
    answer = done(events)
    made = min(len(remote.runs), 3)  # the calls that answered
    assert answer.stats.remote_calls == made > 0
    assert len(answer.text) <= 30, len(answer.text)  # one character is one scripted token
    assert answer.finish_reason == "length"


def test_a_cloud_answer_cut_by_the_server_says_length() -> None:
    class CutRemote(ScriptedRemote):
        def stream_chat(self, messages, *, max_tokens=512, temperature=0.7):  # type: ignore[no-untyped-def]
            from cogenesis.core.remote import ChatDelta

            yield ChatDelta("Autumn leaves")
            yield ChatDelta("", "length")

    answer = done(list(cloud_without_context(ask(2), None, CutRemote(), CancelToken())))
    assert answer.finish_reason == "length"
