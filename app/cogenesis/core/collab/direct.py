"""The strategies where one model answers alone: local only, cloud without context, and full
context (the cloud with the private context, after consent)."""

from __future__ import annotations

from collections.abc import Iterator

from cogenesis.core.collab.answering import Tally, continue_locally, need
from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.events import Event, Failed, Phase, Token
from cogenesis.core.collab.prompts import local_messages, public_messages
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, ChatMessage, LocalModel
from cogenesis.core.remote import RemoteModel


def local_only(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    local = need(local, "the local model")
    yield Phase("generating")
    prompt = local.format_chat(local_messages(ask))
    yield from continue_locally(ask, local, prompt, "", cancel, Tally())


def cloud_without_context(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    yield from _cloud_answer(ask, need(remote, "a remote endpoint"), public_messages(ask), cancel)


def full_context(
    ask: Ask, local: LocalModel | None, remote: RemoteModel | None, cancel: CancelToken
) -> Iterator[Event]:
    """The cloud alone with the private context and the instruction as written. The engine
    runs it only after the user consented for this conversation."""
    yield from _cloud_answer(ask, need(remote, "a remote endpoint"), local_messages(ask), cancel)


def _cloud_answer(
    ask: Ask, remote: RemoteModel, messages: list[ChatMessage], cancel: CancelToken
) -> Iterator[Event]:
    tally = Tally()
    yield Phase("generating")
    text: list[str] = []
    reason = "stop"
    try:
        tally.stats.remote_calls += 1
        for delta in remote.stream_chat(
            messages, max_tokens=ask.max_tokens, temperature=ask.temperature
        ):
            if cancel.cancelled:
                break
            reason = delta.finish_reason or reason  # "length": the server cut it at the budget
            if delta.text:
                tally.first()
                text.append(delta.text)
                tally.stats.remote_tokens += 1
                yield Token(delta.text)
    except CogenesisError as exc:
        yield Failed(exc, "".join(text))
        return
    yield tally.done("".join(text), "cancelled" if cancel.cancelled else reason)
