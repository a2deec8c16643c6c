"""The local model adapter against real llama.cpp and the starter model."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from cogenesis.adapters.llama import ContextOverflow, LlamaLocalModel
from cogenesis.core.llm import CancelToken, ChatMessage, GenerationParams
from cogenesis.core.llm.gguf import ModelFileError

GREEDY = GenerationParams(max_tokens=40, temperature=0)


def prompt_for(model: LlamaLocalModel, text: str) -> list[int]:
    return model.format_chat([ChatMessage("user", text)])


def answer(model: LlamaLocalModel, prompt: list[int], params: GenerationParams) -> tuple[str, str]:
    chunks = list(model.generate(prompt, params))
    return "".join(c.text for c in chunks), str(chunks[-1].finish_reason)


def test_info_describes_the_starter_model(model: LlamaLocalModel) -> None:
    info = model.info
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.vocab_size == 49152
    assert 130e6 < info.parameters < 140e6
    assert info.context_length == 8192 and info.context_size == 1024
    assert info.has_chat_template
    assert info.device == "CPU" and "CPU-only build" in info.device_note
    assert info.threads >= 1


def test_chat_template_comes_from_the_gguf(model: LlamaLocalModel) -> None:
    tokens = prompt_for(model, "Hello")
    im_start = model.tokenize("<|im_start|>", special=True)
    assert len(im_start) == 1 and tokens.count(im_start[0]) == 3  # system, user, assistant
    assert model.detokenize(model.tokenize("héllo wörld")) == "héllo wörld"


def test_streaming_greedy_generation(model: LlamaLocalModel) -> None:
    chunks = list(model.generate(prompt_for(model, "Name three colors."), GREEDY))
    assert len(chunks) > 3
    assert chunks[-1].finish_reason in ("eos", "length")
    assert all(c.finish_reason is None for c in chunks[:-1])
    assert len("".join(c.text for c in chunks).strip()) > 5


def test_max_tokens_ends_with_length(model: LlamaLocalModel) -> None:
    chunks = list(
        model.generate(
            prompt_for(model, "Tell me a long story."),
            GenerationParams(max_tokens=5, temperature=0),
        )
    )
    assert chunks[-1].finish_reason == "length"
    assert sum(c.token_id is not None for c in chunks) == 5


def test_cancel_between_tokens(model: LlamaLocalModel) -> None:
    cancel = CancelToken()
    chunks = []
    for chunk in model.generate(
        prompt_for(model, "Tell me a long story."),
        GenerationParams(max_tokens=200, temperature=0),
        cancel,
    ):
        chunks.append(chunk)
        if len(chunks) == 3:
            cancel.cancel()
    assert chunks[-1].finish_reason == "cancelled"
    assert len(chunks) == 4


def test_stop_string_cuts_the_answer(model: LlamaLocalModel) -> None:
    prompt = prompt_for(model, "Write a short poem about rivers.")
    full, _ = answer(model, prompt, GenerationParams(max_tokens=30, temperature=0))
    assert len(full) > 20, full
    stop = full[12:16]  # may well span two tokens: the matcher must hold text back
    cut, reason = answer(model, prompt, GenerationParams(max_tokens=30, temperature=0, stop=[stop]))
    assert reason == "stop"
    assert cut == full[: full.index(stop)]


def test_fixed_seed_is_deterministic(model: LlamaLocalModel) -> None:
    prompt = prompt_for(model, "Write one sentence about cats.")
    params = GenerationParams(max_tokens=25, temperature=0.9, top_p=0.95, seed=1234)
    first, _ = answer(model, prompt, params)
    model.next_token_distribution(model.tokenize("unrelated text to disturb the cache"))
    second, _ = answer(model, prompt, params)
    assert first == second


def test_distribution_sums_to_one(model: LlamaLocalModel) -> None:
    dist = model.next_token_distribution(prompt_for(model, "Hi"))
    assert dist.is_full and dist.logprobs.shape == (49152,)
    assert float(np.exp(dist.logprobs.astype(np.float64)).sum()) == pytest.approx(1.0, abs=1e-4)
    top = model.next_token_distribution(prompt_for(model, "Hi"), top_k=5)
    assert top.token_ids is not None and len(top.token_ids) == 5
    assert list(top.logprobs) == sorted(top.logprobs, reverse=True)
    assert int(top.token_ids[0]) == dist.argmax()


def test_score_run_equals_step_by_step(model: LlamaLocalModel) -> None:
    prefix = prompt_for(model, "Describe the ocean.")
    run = model.tokenize("The ocean is vast, deep and full of life.")
    batched = model.score_run(prefix, run)
    assert len(batched) == len(run) + 1
    model.next_token_distribution(model.tokenize("reset the cache please"))
    stepwise = [model.next_token_distribution(prefix + run[:i]) for i in range(len(run) + 1)]
    # llama.cpp's batched and one-token kernels round differently (llama-cpp-python's own
    # eval shows the same): equal argmax, probabilities within a few hundredths.
    for b, s in zip(batched, stepwise, strict=True):
        assert b.argmax() == s.argmax()
        gap = np.abs(np.exp(b.logprobs.astype(np.float64)) - np.exp(s.logprobs.astype(np.float64)))
        assert gap.max() < 0.06


def test_cache_is_reused_for_a_growing_prefix(model: LlamaLocalModel) -> None:
    prefix = prompt_for(model, "Cache test prompt with several words in it.")
    model.next_token_distribution(prefix)
    before = model._eval.decoded
    model.next_token_distribution([*prefix, 42])
    model.next_token_distribution([*prefix, 42, 43])
    assert model._eval.decoded - before == 2
    run = model.tokenize(" a run of several tokens")
    model.score_run([*prefix, 42, 43], run)
    assert model._eval.decoded - before == 2 + len(run) + 1  # last prefix token + the run
    before = model._eval.decoded
    model.next_token_distribution([*prefix, 42, 43, *run[:3]])  # inside the scored run
    assert model._eval.decoded == before


def test_a_twin_reads_another_prompt_without_evicting_the_cache(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=512) as model:
        private = prompt_for(model, "A private prompt the model keeps in its cache.")
        public = prompt_for(model, "Another prompt, read side by side.")
        twin = model.twin()
        model.next_token_distribution(private)
        on_twin = twin.next_token_distribution(public).logprobs
        decoded = model._eval.decoded
        again = model.next_token_distribution([*private, 42])  # one token more, nothing else
        assert model._eval.decoded == decoded + 1
        with LlamaLocalModel(starter_path, context_size=512) as separate:
            alone = separate.next_token_distribution(public).logprobs
        assert np.abs(on_twin - alone).max() < 1e-4  # same weights, same numbers
        assert twin.detokenize(public) == model.detokenize(public) and again.is_full
    with pytest.raises(RuntimeError, match="closed"):  # closing the model closed its twin
        twin.next_token_distribution(public)


def test_prompt_longer_than_the_context(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=256) as small:  # llama.cpp's minimum
        long_prompt = small.tokenize("word " * 300)
        with pytest.raises(ContextOverflow, match="context holds 256") as info:
            list(small.generate(long_prompt, GREEDY))
        assert "larger context" in info.value.hint
        with pytest.raises(ContextOverflow):
            small.next_token_distribution(long_prompt)
        ok = small.next_token_distribution(small.tokenize("short prompt"))
        assert ok.is_full


def test_generation_stops_at_the_end_of_the_context(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=256) as small:
        prompt = small.tokenize("one two three " * 70)
        chunks = list(small.generate(prompt, GenerationParams(max_tokens=500, temperature=0)))
        assert chunks[-1].finish_reason in ("length", "eos")
        assert len(prompt) + sum(c.token_id is not None for c in chunks) <= 256


def test_bad_files_give_clear_errors(tmp_path: Path, starter_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        LlamaLocalModel(tmp_path / "missing.gguf")
    text = tmp_path / "notes.gguf"
    text.write_text("this is not a model")
    with pytest.raises(ModelFileError, match="not a readable GGUF"):
        LlamaLocalModel(text)
    truncated = tmp_path / "cut.gguf"
    with starter_path.open("rb") as src, truncated.open("wb") as dst:
        dst.write(src.read(starter_path.stat().st_size // 2))
    with pytest.raises(ModelFileError, match="truncated") as info:
        LlamaLocalModel(truncated)
    assert "resumed" in info.value.hint


def test_llama_cpp_logs_go_to_the_app_logger(
    starter_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG, logger="cogenesis.llama_cpp"):
        LlamaLocalModel(starter_path, context_size=128).close()
    assert any("llama_model_loader" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    captured = capfd.readouterr()
    assert "llama_model_loader" not in captured.err and "sched_reserve" not in captured.err


def test_vocabulary_fingerprints(
    model: LlamaLocalModel, starter_path: Path, gemma_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.gguf"
    shutil.copyfile(starter_path, copy)
    with LlamaLocalModel(copy, context_size=128) as same:
        assert same.vocabulary_fingerprint() == model.vocabulary_fingerprint()
    with LlamaLocalModel(gemma_path, context_size=128) as gemma:
        assert gemma.info.vocab_size == 262144
        assert not gemma.info.has_chat_template
        assert gemma.vocabulary_fingerprint() != model.vocabulary_fingerprint()
        prompt = gemma.format_chat([ChatMessage("user", "Say hi")])
        assert gemma.detokenize(prompt).endswith("Assistant:")
        assert gemma.next_token_distribution(prompt).logprobs.shape == (262144,)
