"""`cogenesis vault …`: create, inspect, fill and protect the encrypted vault."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cogenesis.cli.context import CliContext
from cogenesis.cli.prompts import read_secret
from cogenesis.core.errors import CogenesisError, VaultDamaged
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.vault import (
    change_passphrase,
    create_vault,
    export_vault,
    import_into,
    load_import_file,
    read_meta,
    restore_backup,
    write_backup,
)
from cogenesis.core.vault.integrity import IntegrityReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    vault = sub.add_parser("vault", help="the encrypted vault of private context")
    cmds = vault.add_subparsers(dest="vault_command", required=True, metavar="COMMAND")
    init = cmds.add_parser("init", help="create the vault (key in the OS keyring, or a passphrase)")
    init.add_argument(
        "--passphrase-mode",
        action="store_true",
        help="protect the key with a passphrase even if a keyring is available",
    )
    init.set_defaults(func=cmd_init)
    cmds.add_parser("status", help="where the vault is and how its key is kept").set_defaults(
        func=cmd_status
    )
    imp = cmds.add_parser("import", help="import a JSON export or a CoGenesis dataset user")
    imp.add_argument("file", type=Path)
    imp.add_argument("--user", help="tid of the user, when the file holds several")
    imp.set_defaults(func=cmd_import)
    exp = cmds.add_parser("export", help="write every record as PLAINTEXT JSON")
    exp.add_argument(
        "--plaintext",
        action="store_true",
        required=True,
        help="confirm that the export is not encrypted",
    )
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(func=cmd_export)
    note = cmds.add_parser("add-note", help="add a note (body from the argument or stdin)")
    note.add_argument("body", nargs="?", help="the note's text; read from stdin when omitted")
    note.add_argument("--title", default="")
    note.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    note.set_defaults(func=cmd_add_note)
    search = cmds.add_parser("search", help="full-text search over the vault")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(func=cmd_search)
    cmds.add_parser("check", help="run both integrity checks").set_defaults(func=cmd_check)
    cmds.add_parser("passwd", help="change the passphrase (re-wraps the key)").set_defaults(
        func=cmd_passwd
    )
    backup = cmds.add_parser("backup", help="write an encrypted backup file")
    backup.add_argument("file", type=Path)
    backup.set_defaults(func=cmd_backup)
    restore = cmds.add_parser("restore", help="restore a backup (only where no vault exists)")
    restore.add_argument("file", type=Path)
    restore.add_argument("--passphrase-mode", action="store_true")
    restore.set_defaults(func=cmd_restore)


def cmd_init(ctx: CliContext, args: argparse.Namespace) -> int:
    store = ctx.keystore("passphrase" if args.passphrase_mode else "auto")
    passphrase = None
    if store.needs_passphrase:
        print(
            "No OS keyring in use: the vault key will be protected by a passphrase.",
            file=sys.stderr,
        )
        passphrase = read_secret("New vault passphrase: ", confirm=True)
    vault = create_vault(ctx.files, store, passphrase)
    vault.lock()
    print(f"Created the vault in {ctx.files.directory} (key: {store.backend_name}).")
    return 0


def cmd_status(ctx: CliContext, args: argparse.Namespace) -> int:
    if not ctx.files.exists():
        print(f"No vault yet in {ctx.files.directory}. Create one: cogenesis vault init")
        return 0
    meta = read_meta(ctx.files)
    size = ctx.files.database.stat().st_size
    print(f"vault:       {ctx.files.database} ({size:,} bytes)")
    print(f"created:     {meta.created_at}")
    print(f"key storage: {meta.key_storage} ({meta.key_backend})")
    return 0


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    doc = load_import_file(args.file, args.user)
    with ctx.unlock() as vault:
        summary = import_into(vault, doc)
    print(
        f"Imported: profile={'yes' if summary.profile else 'no'}, notes={summary.notes}, "
        f"writing samples={summary.samples}, terms={summary.terms}, "
        f"conversations={summary.conversations} ({summary.messages} messages)."
    )
    return 0


def cmd_export(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.unlock() as vault:
        text = json.dumps(export_vault(vault).to_json(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_private_atomic(args.output, text.encode("utf-8"))
        print(f"Wrote a PLAINTEXT export to {args.output}; delete it when done.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_add_note(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.unlock() as vault:
        body = args.body if args.body is not None else sys.stdin.read()
        note = vault.notes.add(args.title, body, args.tag)
    print(f"Added note {note.id}.")
    return 0


def cmd_search(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.unlock() as vault:
        hits = vault.search(args.query, limit=args.limit)
    for hit in hits:
        print(f"{hit.kind}:{hit.record_id}  {hit.title}\n    {hit.snippet}")
    if not hits:
        print("No matches.")
    return 0


def cmd_check(ctx: CliContext, args: argparse.Namespace) -> int:
    try:
        with ctx.unlock() as vault:
            report = vault.check()
    except VaultDamaged as exc:
        report = IntegrityReport(cipher_errors=exc.report)
    print("\n".join(report.lines()))
    if not report.ok:
        raise CogenesisError("The vault is damaged.", "Restore it from a backup.")
    return 0


def cmd_passwd(ctx: CliContext, args: argparse.Namespace) -> int:
    old = read_secret("Current passphrase: ")
    new = read_secret("New passphrase: ", confirm=True)
    change_passphrase(ctx.files, ctx.keystore(), old, new)
    print("Passphrase changed (the key was re-wrapped; the database is unchanged).")
    return 0


def cmd_backup(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.unlock() as vault:
        secret = read_secret("Backup passphrase (needed to restore): ", confirm=True)
        info = write_backup(vault, args.file, secret)
    print(f"Wrote an encrypted backup to {info.path} ({info.size:,} bytes).")
    return 0


def cmd_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    store = ctx.keystore("passphrase" if args.passphrase_mode else "auto")
    backup_secret = read_secret("Backup passphrase: ")
    vault_secret = None
    if store.needs_passphrase:
        vault_secret = read_secret("New vault passphrase: ", confirm=True)
    restore_backup(args.file, ctx.files, store, backup_secret, vault_secret)
    print(f"Restored the vault into {ctx.files.directory} (key: {store.backend_name}).")
    return 0
