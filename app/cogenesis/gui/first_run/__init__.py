"""The first-run wizard, shown when no vault exists yet.

Its pages import the remote and model adapters (openai, llama.cpp), so the wizard module is
imported on first use of ``FirstRunWizard``: opening the window over an existing vault needs
none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cogenesis.gui.session import VaultSession, VaultState

if TYPE_CHECKING:
    from cogenesis.gui.first_run.wizard import FirstRunWizard

__all__ = ["FirstRunWizard", "needs_first_run"]


def needs_first_run(session: VaultSession) -> bool:
    """The wizard is for a computer without a vault."""
    return session.state is VaultState.ABSENT


def __getattr__(name: str) -> Any:
    if name == "FirstRunWizard":
        from cogenesis.gui.first_run.wizard import FirstRunWizard

        return FirstRunWizard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
