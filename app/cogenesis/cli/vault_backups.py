"""`cogenesis vault backups` and `cogenesis vault recover`: the automatic encrypted backups."""

from __future__ import annotations

import argparse

from cogenesis.cli.context import CliContext
from cogenesis.cli.prompts import read_secret
from cogenesis.core.errors import CogenesisError
from cogenesis.core.vault import autobackup, list_automatic_backups, recover_from_backup
from cogenesis.core.vault.autobackup import AutomaticBackup


def register(cmds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmds.add_parser(
        "backups", help="list the automatic encrypted backups (made when the vault closes)"
    ).set_defaults(func=cmd_backups)
    recover = cmds.add_parser(
        "recover",
        help="put an automatic backup back in place of a damaged vault (the newest sound one)",
    )
    recover.add_argument(
        "--backup", metavar="N", type=int, help="the backup's number in 'cogenesis vault backups'"
    )
    recover.set_defaults(func=cmd_recover)


def cmd_backups(ctx: CliContext, args: argparse.Namespace) -> int:
    backups = list_automatic_backups(ctx.files)
    print(
        f"Automatic backups in {ctx.files.backups} (encrypted with the vault's key; made when "
        f"a session that changed the vault closes it, at most one every "
        f"{autobackup.MIN_INTERVAL_S / 60:g} minutes; kept: the newest {autobackup.KEEP}):"
    )
    for number, backup in enumerate(backups, start=1):
        print(f"  {number}  {_when(backup)}  {backup.size:>12,} bytes  {backup.path.name}")
    if not backups:
        print("  none yet")
    return 0


def cmd_recover(ctx: CliContext, args: argparse.Namespace) -> int:
    chosen = None
    if args.backup is not None:
        backups = list_automatic_backups(ctx.files)
        if not 1 <= args.backup <= len(backups):
            raise CogenesisError(
                f"There is no automatic backup number {args.backup} ({len(backups)} kept).",
                "List them with 'cogenesis vault backups'.",
            )
        chosen = backups[args.backup - 1].path
    store = ctx.keystore()
    passphrase = read_secret("Vault passphrase: ") if store.needs_passphrase else None
    recovery = recover_from_backup(ctx.files, store, passphrase, chosen)
    for skipped in recovery.skipped:
        print(f"Skipped {skipped.name}: it fails its integrity check.")
    print(f"Put back the automatic backup of {_when(recovery.backup)}.")
    if recovery.kept_aside:
        print(f"The database it replaced is kept as {recovery.kept_aside}.")
    print("Changes made after that backup are not in it.")
    return 0


def _when(backup: AutomaticBackup) -> str:
    return backup.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
