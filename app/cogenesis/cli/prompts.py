"""Reading secrets: hidden on a terminal, one line at a time from a pipe (for scripts)."""

from __future__ import annotations

import getpass
import sys

from cogenesis.core.errors import CogenesisError


def read_secret(prompt: str, *, confirm: bool = False) -> str:
    """Ask for a passphrase. From a pipe, each call reads the next line of stdin."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise CogenesisError(
                f"{prompt.rstrip(': ')} was expected on standard input.",
                "Pipe it in, one line per passphrase, or run in a terminal.",
            )
        return line.rstrip("\r\n")
    secret = getpass.getpass(prompt, stream=sys.stderr)
    if confirm and getpass.getpass("Repeat it: ", stream=sys.stderr) != secret:
        raise CogenesisError("The two passphrases differ.", "Run the command again.")
    return secret
