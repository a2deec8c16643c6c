"""Every strategy's branches against scripted models: cancel in each phase, a remote that
fails mid-answer, a guard refusal, an empty or failed outline, fusion's local finish."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.context import ContextItem
from cogenesis.core.collab.direct import cloud_without_context, full_context, local_only
from cogenesis.core.collab.events import Done, Event, Failed, Notice, Phase, Reading, SketchText
from cogenesis.core.collab.fusion import FusionConfig
from cogenesis.core.collab.logit import logit_fusion
from cogenesis.core.collab.sketch import sketch_then_expand
from cogenesis.core.errors import CogenesisError, PrivacyViolation
from cogenesis.core.llm import CancelToken
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote, remote_error

SECRET = "Ada Brook, bridge engineer in Leeds"


def ask(**changes: object) -> Ask:
    base = Ask(
        "Write my bio for the club newsletter",
        "Write my bio for the [GROUP] newsletter",
        sanitize=lambda text: text.replace("Ada", "[NAME]"),
        context=[ContextItem("profile", SECRET)],
        max_tokens=40,
        temperature=0.0,
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def done(events: list[Event]) -> Done:
    (last,) = [e for e in events if isinstance(e, Done)]
    assert events[-1] is last
    return last


def text_of(events: Iterator[Event] | list[Event]) -> str:
    return "".join(getattr(e, "text", "") for e in events if type(e).__name__ == "Token")


def test_local_only_reads_the_context_and_streams_the_answer() -> None:
    local = ScriptedLocal().enqueue("Ada builds ", "bridges.")
    events = list(local_only(ask(), local, None, CancelToken()))
    assert text_of(events) == "Ada builds bridges."
    assert done(events).finish_reason == "stop" and done(events).stats.local_tokens == 19
    assert SECRET in local.detokenize(local.generated_prompts[0])
    assert any(isinstance(e, Reading) for e in events)


def test_local_only_cancelled_while_reading_writes_nothing() -> None:
    cancel = CancelToken()
    local = ScriptedLocal().enqueue("never")
    local.on_read = lambda done: cancel.cancel() if done >= 16 else None
    events = list(local_only(ask(), local, None, cancel))
    assert done(events).finish_reason == "cancelled" and text_of(events) == ""
    assert local.generated_prompts == []


def test_local_only_cancelled_while_writing_keeps_what_was_shown() -> None:
    cancel = CancelToken()
    local = ScriptedLocal().enqueue("abcdefgh")
    local.on_token = lambda count: cancel.cancel() if count == 3 else None
    events = list(local_only(ask(), local, None, cancel))
    assert text_of(events) == "abc" and done(events).text == "abc"
    assert done(events).finish_reason == "cancelled"


def test_cloud_sees_only_the_public_part() -> None:
    remote = ScriptedRemote().enqueue_chat("Hello ", "club.")
    events = list(cloud_without_context(ask(), None, remote, CancelToken()))
    assert text_of(events) == "Hello club."
    sent = " ".join(m.content for m in remote.chats[0])
    assert "[GROUP] newsletter" in sent and "Ada" not in sent and "club" not in sent
    assert done(events).stats.remote_calls == 1


def test_cloud_failing_mid_answer_fails_with_what_was_shown() -> None:
    remote = ScriptedRemote().enqueue_chat("Hello ", remote_error(), "never")
    events = list(cloud_without_context(ask(), None, remote, CancelToken()))
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.partial == "Hello " and not [e for e in events if isinstance(e, Done)]


def test_full_context_sends_the_context_as_written() -> None:
    remote = ScriptedRemote().enqueue_chat("ok")
    list(full_context(ask(), None, remote, CancelToken()))
    assert SECRET in remote.chats[0][0].content


def test_a_mode_without_its_model_says_what_it_needs() -> None:
    with pytest.raises(CogenesisError, match="needs the local model"):
        list(sketch_then_expand(ask(), None, ScriptedRemote(), CancelToken()))


def test_sketch_expands_the_outline_with_the_context() -> None:
    remote = ScriptedRemote().enqueue_chat("1. Early years\n", "2. Bridges")
    local = ScriptedLocal().enqueue("Ada grew up by the river.")
    events = list(sketch_then_expand(ask(), local, remote, CancelToken()))
    phases = [e.name for e in events if isinstance(e, Phase)]
    assert phases == ["sketching", "expanding"]
    assert [e.text for e in events if isinstance(e, SketchText)][-1] == "1. Early years\n2. Bridges"
    prompt = local.detokenize(local.generated_prompts[0])
    assert SECRET in prompt and "2. Bridges" in prompt
    assert SECRET not in " ".join(m.content for m in remote.chats[0])
    assert text_of(events) == "Ada grew up by the river."


def test_an_empty_outline_leaves_the_local_model_to_answer_alone() -> None:
    remote = ScriptedRemote().enqueue_chat()
    local = ScriptedLocal().enqueue("Alone.")
    events = list(sketch_then_expand(ask(), local, remote, CancelToken()))
    assert "plan" not in local.detokenize(local.generated_prompts[0])
    assert done(events).text == "Alone."


def test_a_failed_outline_is_said_and_the_answer_is_local() -> None:
    remote = ScriptedRemote().enqueue_chat("1. Ea", remote_error("timed out"))
    local = ScriptedLocal().enqueue("Local answer.")
    events = list(sketch_then_expand(ask(), local, remote, CancelToken()))
    (notice,) = [e for e in events if isinstance(e, Notice)]
    assert "timed out" in notice.text and done(events).text == "Local answer."


def test_a_guard_refusal_of_the_outline_request_ends_the_answer() -> None:
    refusal = PrivacyViolation("The privacy guard stopped a request.", "Edit the request.")
    remote = ScriptedRemote().enqueue_chat(refusal)
    local = ScriptedLocal().enqueue("never")
    events = list(sketch_then_expand(ask(), local, remote, CancelToken()))
    assert isinstance(events[-1], Failed) and events[-1].error is refusal
    assert local.generated_prompts == []


def test_sketch_cancelled_while_the_outline_streams() -> None:
    cancel = CancelToken()
    remote = ScriptedRemote().enqueue_chat("1. A\n", "2. B\n")
    local = ScriptedLocal().enqueue("never")
    events = []
    for event in sketch_then_expand(ask(), local, remote, cancel):
        events.append(event)
        if isinstance(event, SketchText):
            cancel.cancel()
    assert done(events).finish_reason == "cancelled" and local.generated_prompts == []


def test_the_pipelined_sketch_expands_each_point_as_it_completes() -> None:
    first_written = threading.Event()
    remote = ScriptedRemote().enqueue_chat(
        "1. Early years\n", lambda: first_written.wait(5), "2. Bridges\n"
    )
    local = ScriptedLocal().enqueue("First part.", first_written.set, "\n\n", "never")
    local.enqueue("Second part.")
    events = list(sketch_then_expand(ask(pipeline=True), local, remote, CancelToken()))
    assert done(events).text == "First part.\n\nSecond part."
    first, second = (local.detokenize(p) for p in local.generated_prompts)
    assert "1. Early years" in first and "2. Bridges" not in first
    assert "2. Bridges" in second and second.endswith("First part.\n\n")
    assert all(SECRET in prompt for prompt in (first, second))


def test_fusion_agrees_with_both_models_and_sends_only_the_public_answer() -> None:
    local = ScriptedLocal(prefers="Ada is kind.")
    remote = ScriptedRemote(says="[NAME] is kind.")
    events = list(logit_fusion(ask(fusion=FusionConfig()), local, remote, CancelToken()))
    answer = done(events)
    assert answer.text and answer.finish_reason == "stop"
    sent = [prefix for _, prefix in remote.runs]
    assert all("Ada" not in prefix for prefix in sent)  # prefixes go out sanitized
    assert all(SECRET not in m.content for messages, _ in remote.runs for m in messages)
    assert answer.stats.remote_calls == len(remote.runs) < len(answer.text)


def test_fusion_finishes_locally_when_the_remote_fails_mid_answer() -> None:
    local = ScriptedLocal(prefers="Hello there.").enqueue(" and the rest")
    remote = ScriptedRemote(says="Hello there.", fail_runs_after=1)
    config = FusionConfig()
    events = list(logit_fusion(ask(fusion=config), local, remote, CancelToken()))
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("failed mid-answer" in n for n in notices)
    assert any("local model alone" in n for n in notices)
    assert done(events).text.endswith(" and the rest")


def test_fusion_without_a_local_finish_fails_with_what_was_shown() -> None:
    local = ScriptedLocal(prefers="Hello there.")
    remote = ScriptedRemote(says="Hello there.", fail_runs_after=0)
    events = list(
        logit_fusion(ask(fusion=FusionConfig(), finish_locally=False), local, remote, CancelToken())
    )
    assert isinstance(events[-1], Failed) and events[-1].partial == ""


def test_fusion_cancelled_while_reading_the_prompt_calls_no_remote() -> None:
    cancel = CancelToken()
    local = ScriptedLocal(prefers="Hello.")
    local.on_read = lambda _done: cancel.cancel()
    remote = ScriptedRemote(says="Hello.")
    events = list(logit_fusion(ask(fusion=FusionConfig()), local, remote, cancel))
    assert done(events).finish_reason == "cancelled" and remote.runs == []
