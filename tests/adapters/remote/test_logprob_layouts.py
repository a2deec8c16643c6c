"""Completion log-probabilities in the legacy OpenAI layout and in llama-server's chat layout
(as the openai SDK hands them over: known fields parsed, unknown ones as dicts)."""

from __future__ import annotations

from openai.types.completion import Completion

from cogenesis.adapters.remote.logprob_layouts import positions, top_count


def completion(logprobs: dict[str, object]) -> Completion:
    return Completion.model_validate(
        {
            "id": "x",
            "object": "text_completion",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "text": " Hi", "finish_reason": "length", "logprobs": logprobs}
            ],
        }
    )


def test_the_legacy_layout() -> None:
    response = completion(
        {
            "tokens": [" Hi", "!"],
            "token_logprobs": [-0.1, -0.5],
            "top_logprobs": [{" Hi": -0.1, " Hello": -2.0}, {"!": -0.5, ".": -1.0}],
            "text_offset": [0, 3],
        }
    )
    found = positions(response.choices[0].logprobs)
    assert found is not None and [p.text for p in found] == [" Hi", "!"]
    assert found[0].top == {" Hi": -0.1, " Hello": -2.0} and found[0].token_id is None
    assert top_count(response.choices[0].logprobs) == 2


def test_llama_servers_chat_layout_with_ids() -> None:
    top = [
        {"id": 13, "token": " Hi", "logprob": -0.1},
        {"id": 7, "token": " Hello", "logprob": -2.0},
    ]
    response = completion(
        {
            "content": [
                {"id": 13, "token": " Hi", "logprob": -0.1, "bytes": [32], "top_logprobs": top}
            ]
        }
    )
    (first,) = positions(response.choices[0].logprobs) or []
    assert (first.text, first.logprob, first.token_id) == (" Hi", -0.1, 13)
    assert first.top == {" Hi": -0.1, " Hello": -2.0}
    assert first.top_ids == ((13, -0.1), (7, -2.0))
    assert top_count(response.choices[0].logprobs) == 2


def test_no_log_probabilities() -> None:
    assert positions(None) is None and top_count(None) == 0
    assert positions(completion({"tokens": None}).choices[0].logprobs) is None
