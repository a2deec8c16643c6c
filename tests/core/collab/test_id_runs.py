"""Which remote side logit fusion uses (token ids only where the remote reads them and shares
the local vocabulary, text otherwise), and what id runs send."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from cogenesis.core.collab.id_runs import IdRuns, remote_runs
from cogenesis.core.collab.public_ids import PublicIds, public_ids
from cogenesis.core.collab.remote_runs import TextRuns
from cogenesis.core.llm import ChatMessage
from cogenesis.core.remote import RemoteToken, TokenRun

WORDS = ["<end>", "hello", " there", " Isabel", " [PERSON]", " my", " friend", "!"]


def _spell(token: int) -> str:
    return WORDS[token] if token < len(WORDS) else chr(token - 100)


class WordModel:
    """A local model's vocabulary only: one token per word of ``WORDS``, then characters."""

    def vocabulary_fingerprint(self) -> str:
        return "words"

    def tokenize(self, text: str, *, special: bool = False) -> list[int]:
        ids = []
        while text:
            words = [i for i, w in enumerate(WORDS) if text.startswith(w)]
            i = max(words, key=lambda i: len(WORDS[i])) if words else 100 + ord(text[0])
            ids.append(i)
            text = text[len(_spell(i)) :]
        return ids

    def detokenize(self, tokens: Sequence[int]) -> str:
        return "".join(_spell(t) for t in tokens)

    def piece_id(self, piece: str) -> int | None:
        return WORDS.index(piece) if piece in WORDS else None

    def end_ids(self) -> frozenset[int]:
        return frozenset({0})


class IdRemote:
    """Reads token ids; ``spell`` is how it spells each id (its vocabulary). Continues with
    " friend" and scores what it is asked to."""

    def __init__(
        self,
        spell: Callable[[int], str] = _spell,
        takes_ids: bool = True,
        continuation: Sequence[int] = (6,),
        echo: bool = True,
        lists: bool = False,
    ) -> None:
        self.spell = spell
        self.lists = lists
        self.requests: list[list[list[int]]] = []
        self.continuation = list(continuation)
        self.takes_ids = takes_ids
        self.echo = echo
        self.prompts: list[list[int]] = []
        self.echo_calls = 0
        self.pair_calls = 0

    def takes_token_ids(self) -> bool:
        return self.takes_ids

    def scores_drafts(self) -> bool:
        return self.takes_ids and self.echo

    def vocabulary_pairs(self, prompt: Sequence[int]) -> list[tuple[int, str]]:
        """As llama-server names them: ids and texts of what it wrote and its alternatives."""
        self.pair_calls += 1
        return [(i, self.spell(i)) for i in range(len(WORDS)) for _ in range(6)]

    def takes_prompt_lists(self) -> bool:
        return self.takes_ids and self.lists

    def continue_id_lists(
        self, prompts: Sequence[Sequence[int]], *, max_tokens: int, top_k: int
    ) -> list[TokenRun]:
        self.requests.append([list(p) for p in prompts])
        runs = [self.continue_ids(p, max_tokens=max_tokens, top_k=top_k) for p in prompts]
        return [runs[0], *(replace(r, prompt_tokens=0, completion_tokens=0) for r in runs[1:])]

    def render_prompt(self, messages: Sequence[ChatMessage], answer_prefix: str) -> str:
        return "".join(m.content for m in messages) + answer_prefix

    def echo_pieces(self, prompt: Sequence[int]) -> list[str]:
        self.echo_calls += 1
        return [self.spell(i) for i in prompt]

    def continue_ids(
        self, prompt: Sequence[int], *, max_tokens: int, top_k: int, scored: int = 0
    ) -> TokenRun:
        self.prompts.append(list(prompt))
        more = (self.continuation * max_tokens)[:max_tokens]
        ids = [*prompt[len(prompt) - scored :], *more]
        tokens = tuple(RemoteToken(f"token_id:{t}", -0.1, (), t, ((t, -0.1),)) for t in ids)
        return TokenRun(tokens, "length", len(prompt), max_tokens, scored)


MESSAGES = [ChatMessage("user", "hello")]


def _public(text: str) -> str:
    return text.replace(" Isabel", " [PERSON]")


def test_ids_only_with_the_same_vocabulary() -> None:
    local = WordModel()
    same, texts_only = IdRemote(), IdRemote(takes_ids=False)
    other = IdRemote(lambda i: f"<{i}>")
    assert isinstance(remote_runs(same, local, MESSAGES, _public), IdRuns)  # type: ignore[arg-type]
    assert isinstance(remote_runs(same, local, MESSAGES, _public), IdRuns)  # type: ignore[arg-type]
    assert same.echo_calls == 1  # the vocabulary is compared once per remote
    assert isinstance(remote_runs(other, local, MESSAGES, _public), TextRuns)  # type: ignore[arg-type]
    assert isinstance(remote_runs(texts_only, local, MESSAGES, _public), TextRuns)  # type: ignore[arg-type]
    assert texts_only.echo_calls == 0


def test_without_echo_ids_are_used_after_the_named_tokens_agree() -> None:
    """llama-server takes token ids but has no echo: the vocabulary is compared on the (id,
    text) pairs it names, and plain runs go as ids; a draft is not sent (it needs echo)."""
    local = WordModel()
    same, other = IdRemote(echo=False), IdRemote(lambda i: f"<{i}>", echo=False)
    runs = remote_runs(same, local, MESSAGES, _public)  # type: ignore[arg-type]
    assert isinstance(runs, IdRuns) and same.pair_calls == 1 and same.echo_calls == 0
    assert isinstance(remote_runs(other, local, MESSAGES, _public), TextRuns)  # type: ignore[arg-type]
    positions = runs.run(local.tokenize("hello there"), 2, draft=local.tokenize(" my"))
    assert same.prompts[-1] == [1, 1, 2]  # the prompt and the answer, no draft
    assert [p.token for p in positions] == [6, 6]


def test_id_runs_send_the_public_ids_and_score_the_draft() -> None:
    local, remote = WordModel(), IdRemote()
    runs = IdRuns(remote, local, MESSAGES, _public)  # type: ignore[arg-type]
    hello_there = local.tokenize("hello there")
    positions = runs.run(hello_there, 2, draft=local.tokenize(" my"))
    assert remote.prompts[-1] == [1, 1, 2, 5]  # prompt "hello", the answer, the draft
    assert [p.token for p in positions] == [5, 6, 6]  # the draft scored, then two more
    isabel = local.tokenize("hello Isabel")
    runs.run(isabel, 1, draft=local.tokenize(" my"))
    assert 3 not in remote.prompts[-1] and 4 in remote.prompts[-1]  # " [PERSON]", not the name
    assert remote.prompts[-1][-1] == 5  # the draft still goes after the public prefix
    assert runs.calls == 2 and runs.billed_tokens > 0


def test_a_run_stops_where_its_text_turns_private() -> None:
    """Per-token fusion would send " [PERSON]" after " Isabel", so the run's later positions,
    read after the name itself, are not used."""
    local, remote = WordModel(), IdRemote(continuation=(3, 5))
    runs = IdRuns(remote, local, MESSAGES, _public)  # type: ignore[arg-type]
    positions = runs.run(local.tokenize("hello"), 4)
    assert [p.token for p in positions] == [3]


def test_public_ids_change_only_where_the_text_changed() -> None:
    local = WordModel()
    answer = local.tokenize("hello Isabel my friend")
    public = public_ids(local, _public, answer)  # type: ignore[arg-type]
    assert public == local.tokenize("hello [PERSON] my friend")
    assert public_ids(local, _public, [*answer, 2]) == [*public, 2]  # type: ignore[arg-type]
    assert public_ids(local, _public, answer[:2]) == [1, 4]  # type: ignore[arg-type]
    spaced = local.tokenize("hello there")  # nothing private: the same ids
    assert public_ids(local, _public, spaced) == spaced  # type: ignore[arg-type]


def test_public_ids_of_an_answer_grown_a_token_at_a_time_need_no_order() -> None:
    """Each prefix's public version is the one before it plus the new token where sanitizing
    changed nothing new: the same whichever prefixes were asked for first."""
    local = WordModel()
    answer = local.tokenize("hello Isabel my friend!")
    step_by_step = PublicIds(local, _public)  # type: ignore[arg-type]
    grown = [step_by_step(answer[:i]) for i in range(len(answer) + 1)]
    at_once = PublicIds(local, _public)  # type: ignore[arg-type]
    assert at_once(answer) == grown[-1] == local.tokenize("hello [PERSON] my friend!")
    assert [at_once(answer[:i]) for i in range(len(answer) + 1)] == grown
    assert grown == [public_ids(local, _public, answer[:i]) for i in range(len(answer) + 1)]  # type: ignore[arg-type]


def test_a_draft_goes_up_to_its_first_private_term() -> None:
    local, remote = WordModel(), IdRemote()
    runs = IdRuns(remote, local, MESSAGES, _public)  # type: ignore[arg-type]
    draft = local.tokenize(" my friend Isabel")
    positions = runs.run(local.tokenize("hello"), 1, draft=draft)
    assert remote.prompts[-1][-2:] == [5, 6]  # " my friend", not the name
    assert [p.token for p in positions][:2] == [5, 6]


def test_branches_go_in_one_request_each_in_its_public_version() -> None:
    """Several prompts in one call: the answer, and the answer plus each draft prefix as
    per-token fusion would send it there (" Isabel" goes as its placeholder, never itself)."""
    local, remote = WordModel(), IdRemote(lists=True, echo=False)
    runs = IdRuns(remote, local, MESSAGES, _public)  # type: ignore[arg-type]
    assert runs.takes_branches
    hello = local.tokenize("hello")
    drafts = [[], local.tokenize(" my"), local.tokenize(" my friend Isabel"), [5, 6, 3, 7]]
    found = runs.branches(hello, drafts, 2)
    person = local.tokenize(" [PERSON]")
    assert remote.requests == [[[1, 1], [1, 1, 5], [1, 1, 5, 6, *person], [1, 1, 5, 6, *person, 7]]]
    assert not any(3 in prompt for prompt in remote.requests[0])  # " Isabel" stayed here
    assert [d for d, _ in found] == drafts
    assert runs.calls == 1 and runs.billed_tokens == 2 + 2  # the usage is on the first run


def test_no_branches_where_the_remote_takes_one_prompt_per_call() -> None:
    runs = IdRuns(IdRemote(echo=False), WordModel(), MESSAGES, _public)  # type: ignore[arg-type]
    assert not runs.takes_branches
