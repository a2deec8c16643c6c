"""Editors for the vault's private context, each taking an unlocked vault via ``set_vault``."""
