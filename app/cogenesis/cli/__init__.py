"""The `cogenesis` command line, over the same core as the desktop app."""
