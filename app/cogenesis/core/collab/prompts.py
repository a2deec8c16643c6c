"""What each model reads: the fixed prompt texts and the messages built from a request."""

from __future__ import annotations

from cogenesis.core.collab.ask import Ask
from cogenesis.core.collab.context import render
from cogenesis.core.llm import ChatMessage

LOCAL_SYSTEM = (
    "You are a personal assistant. Use the user's private context below when it helps, and "
    "write in the user's own style.\n\n{context}"
)
PERSONA_PROMPT = "\n\nThe user's instructions for this conversation:\n{persona}"
CLOUD_SYSTEM = "You are a helpful assistant."
SKETCH_PROMPT = (
    "Write a short numbered outline (3 to 6 points, one line each) for answering the request "
    "below. Only the outline.\n\nRequest: {instruction}"
)
OUTLINE_TOKENS, OUTLINE_TEMPERATURE = 160, 0.3
# The outline goes into the system message, after the context: as part of the user's turn it
# made the 0.5B model recite the context block instead of answering (measured: see
# docs/collaboration.md, "Sketch-then-expand").
PLAN_PROMPT = (
    "\n\nA plan for your answer, written without the user's details:\n{outline}\n\n"
    "Follow the plan in your own words and make it personal; write the answer, not the plan."
)

# The fixed texts of what the cloud reads (the guard does not read them as the user's words).
APP_TEXTS = (CLOUD_SYSTEM, *SKETCH_PROMPT.split("{instruction}"))


def local_messages(ask: Ask) -> list[ChatMessage]:
    """The private context, the conversation so far and the instruction as written."""
    system = LOCAL_SYSTEM.format(context=render(list(ask.context)) or "(no private context)")
    if ask.persona.strip():  # the user's own instructions for this conversation
        system += PERSONA_PROMPT.format(persona=ask.persona.strip())
    return [ChatMessage("system", system), *ask.history, ChatMessage("user", ask.instruction)]


def public_messages(ask: Ask) -> list[ChatMessage]:
    """What the cloud reads without context: a fixed system message and the public part."""
    return [ChatMessage("system", CLOUD_SYSTEM), ChatMessage("user", ask.public)]


def outline_messages(ask: Ask) -> list[ChatMessage]:
    """The sketch request: the public part inside the outline instruction."""
    return [ChatMessage("user", SKETCH_PROMPT.format(instruction=ask.public))]


def expansion_messages(ask: Ask, outline: str) -> list[ChatMessage]:
    """What the local model reads to expand ``outline`` (none: it answers alone)."""
    messages = local_messages(ask)
    if outline:  # with the real values where the cloud wrote labels ("[PERSON 1]")
        plan = PLAN_PROMPT.format(outline=ask.placeholders.restore(outline))
        messages[0] = ChatMessage("system", messages[0].content + plan)
    return messages
