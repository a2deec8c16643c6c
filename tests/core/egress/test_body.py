"""Request bodies made readable without changing a character of their text."""

from __future__ import annotations

import json

from cogenesis.core.egress import readable_body


def test_chat_messages_are_decoded_one_part_each() -> None:
    body = json.dumps(
        {
            "model": "m",
            "stream": True,
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Write to [PERSON] about caf\u00e9 plans"},
            ],
        }
    ).encode()
    assert "\\u00e9" in body.decode()  # on the wire the é is escaped…
    text = readable_body(body)
    assert text.splitlines()[:2] == ['model: "m"', "stream: true"]
    assert "── system ──\nBe brief." in text
    assert "── user ──\nWrite to [PERSON] about café plans" in text  # …readable here


def test_completion_prompts_and_other_bodies() -> None:
    prompt = readable_body(json.dumps({"prompt": "Hello", "logprobs": 5}).encode())
    assert prompt == "logprobs: 5\n\n── prompt ──\nHello"
    assert readable_body(b"") == "(no body)"
    assert readable_body(b"not json \xff") == "not json \ufffd"
    assert readable_body(b"[1, 2]") == "[\n  1,\n  2\n]"


def test_token_id_prompts_are_spelled_out_with_a_reader() -> None:
    body = json.dumps({"prompt": [5, 6, 7], "max_tokens": 4}).encode()
    assert readable_body(body).endswith("── prompt: 3 token ids ──\n5 6 7")
    spelled = readable_body(body, lambda ids: "".join(chr(96 + i) for i in ids))
    assert spelled.endswith("── prompt: 3 token ids, as the local model reads them ──\nefg")
    several = json.dumps({"prompt": [[1, 2], [3]]}).encode()
    assert readable_body(several, lambda ids: f"<{len(ids)}>").count("as the local model") == 2
