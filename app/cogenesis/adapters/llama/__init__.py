"""The local model through llama-cpp-python."""

from cogenesis.adapters.llama.evaluator import ContextOverflow
from cogenesis.adapters.llama.model import LlamaLocalModel

__all__ = ["ContextOverflow", "LlamaLocalModel"]
