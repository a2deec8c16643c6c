from collections.abc import Iterator, Sequence
from dataclasses import replace

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.context import ContextItem
from cogenesis.core.collab.prompts import expansion_messages
from cogenesis.core.collab.sketch import outline_stream
from cogenesis.core.llm import ChatMessage
from cogenesis.core.remote import ChatDelta

ASK = Ask(
    "Write my bio for the club newsletter",
    "Write my bio for the club newsletter",
    sanitize=str,
    context=[ContextItem("profile", "name: Ada Brook\noccupation: bridge engineer")],
)


def test_the_outline_is_a_plan_beside_the_context_and_the_request_stays_as_written() -> None:
    messages = expansion_messages(ASK, "1. Early years\n2. Bridges")
    assert messages[-1] == ChatMessage("user", ASK.instruction)
    system = messages[0].content
    assert system.index("bridge engineer") < system.index("1. Early years\n2. Bridges")
    assert "write the answer, not the plan" in system


def test_without_an_outline_the_local_model_answers_alone() -> None:
    (system, request) = expansion_messages(ASK, "")
    assert "plan" not in system.content and "bridge engineer" in system.content
    assert request.content == ASK.instruction


class OutlineRemote:
    """Records what the outline request asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[list[ChatMessage], float]] = []

    def stream_chat(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.7
    ) -> Iterator[ChatDelta]:
        self.asked.append((list(messages), temperature))
        yield ChatDelta("1. Early years\n")


def test_the_outline_reads_the_public_part_and_is_greedy_when_the_answer_is() -> None:
    remote = OutlineRemote()
    public = replace(ASK, public="Write my bio for the [GROUP] newsletter")
    for temperature in (0.0, 0.7):
        list(outline_stream(replace(public, temperature=temperature), remote))
    (greedy, greedy_t), (_, sampled_t) = remote.asked
    assert greedy_t == 0.0 and sampled_t == 0.3
    assert "[GROUP] newsletter" in greedy[0].content and "club" not in greedy[0].content
