"""Implementations of core's protocols over real systems (keyring, llama.cpp, HTTP APIs)."""
