from cogenesis.core.collab.context import ContextItem
from cogenesis.core.collab.strategies import Ask, expansion_messages
from cogenesis.core.llm import ChatMessage

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
