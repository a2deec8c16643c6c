"""What the app needs from a language model on the device, independent of llama.cpp."""

from cogenesis.core.llm.distribution import TokenDistribution, log_softmax
from cogenesis.core.llm.protocol import (
    CancelToken,
    ChatMessage,
    GenerationChunk,
    GenerationParams,
    LocalModel,
    LocalScorer,
    ModelInfo,
    ReadProgress,
)
from cogenesis.core.llm.stops import StopMatcher

__all__ = [
    "CancelToken",
    "ChatMessage",
    "GenerationChunk",
    "GenerationParams",
    "LocalModel",
    "LocalScorer",
    "ModelInfo",
    "ReadProgress",
    "StopMatcher",
    "TokenDistribution",
    "log_softmax",
]
