"""The first-run wizard, shown when no vault exists yet."""

from cogenesis.gui.first_run.wizard import FirstRunWizard, needs_first_run

__all__ = ["FirstRunWizard", "needs_first_run"]
