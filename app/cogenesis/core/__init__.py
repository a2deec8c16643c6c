"""Qt-free, model-free core: vault, settings, privacy, collaboration logic.

Nothing in this package may import PySide6, llama_cpp or openai (a test enforces it).
"""
