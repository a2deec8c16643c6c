"""`cogenesis vault …`: create, inspect, fill and protect the encrypted vault."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cogenesis.adapters.keystore import PassphraseKeyStore
from cogenesis.cli import vault_backups
from cogenesis.cli.context import CliContext
from cogenesis.cli.prompts import read_secret
from cogenesis.core.errors import CogenesisError, DatasetUserNeeded, VaultDamaged
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.vault import (
    change_passphrase,
    check_database,
    create_vault,
    export_key,
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
    key = cmds.add_parser(
        "export-key",
        help="print the raw database key (for stock SQLCipher 4 tools; keep it secret)",
    )
    key.add_argument(
        "--i-understand",
        action="store_true",
        required=True,
        help="confirm that anyone with this key and vault.db can read the whole vault",
    )
    key.set_defaults(func=cmd_export_key)
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
    vault_backups.register(cmds)


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
    try:
        doc = load_import_file(args.file, args.user)
    except DatasetUserNeeded as exc:
        raise CogenesisError(
            exc.message,
            f"Choose one with --user, e.g.: cogenesis vault import {args.file} --user {exc.ids[0]}",
        ) from None
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
        read_meta(ctx.files)
    except VaultDamaged as exc:  # vault.json missing or unreadable: say so, never "ok"
        return _check_without_meta(ctx, exc)
    try:
        with ctx.unlock() as vault:
            report = vault.check()
    except VaultDamaged as exc:
        report = IntegrityReport(cipher_errors=exc.report or [exc.message], sqlite_checked=False)
    print("\n".join(report.lines()))
    if not report.ok:
        raise CogenesisError(
            "The vault is damaged"
            + ("" if report.sqlite_checked else ": its pages fail their check (unreadable)")
            + ".",
            "Put the newest automatic backup back with 'cogenesis vault recover' (the damaged "
            "file is kept aside), or restore a backup file ('cogenesis vault restore FILE' "
            "into an empty folder).",
        )
    return 0


def _check_without_meta(ctx: CliContext, problem: VaultDamaged) -> int:
    """Report a missing or damaged vault.json, and check the database where the key can
    still be found (passphrase mode: vault.key names the vault)."""
    print(f"metadata: {problem.message}")
    database_ok = False
    if not ctx.files.key_file.exists():
        print(
            "database: not checked (without vault.json the key in the OS keyring cannot be found)"
        )
    else:
        try:
            vault_id = str(json.loads(ctx.files.key_file.read_text(encoding="utf-8"))["vault_id"])
            key = PassphraseKeyStore(ctx.files.key_file).fetch(
                vault_id, read_secret("Vault passphrase: ")
            )
        except (CogenesisError, OSError, ValueError, KeyError, TypeError) as exc:
            print(f"database: not checked ({exc})")
        else:
            try:
                report = check_database(ctx.files, key)
            finally:
                key[:] = bytes(len(key))
            database_ok = report.ok
            print("\n".join(f"database: {line}" for line in report.lines()))
    hint = (
        "Put vault.json back from a copy of the vault folder, or restore the vault from a "
        "backup ('cogenesis vault restore FILE' into an empty folder); keep vault.db and "
        "vault.key as they are."
    )
    if database_ok:
        hint += " The database itself checks out."
    raise CogenesisError(
        "The vault cannot be opened: its metadata file vault.json is missing or damaged"
        + ("" if database_ok else ", and its database could not be verified")
        + ".",
        hint,
    )


def cmd_export_key(ctx: CliContext, args: argparse.Namespace) -> int:
    print(
        "WARNING: this prints the raw key of your vault. Anyone who has it and a copy of "
        "vault.db can read everything in the vault, without your passphrase or keyring, and "
        "changing the passphrase does not change it. Do not paste it into a chat, a ticket or "
        "a shell history; keep it as safely as the passphrase.\n"
        "Use it with any SQLCipher 4 tool: PRAGMA key = \"x'...'\"; (default SQLCipher 4 "
        "settings; see docs/vault.md).",
        file=sys.stderr,
    )
    read_meta(ctx.files)
    store = ctx.keystore()
    passphrase = read_secret("Vault passphrase: ") if store.needs_passphrase else None
    key = export_key(ctx.files, store, passphrase)
    try:
        print(f"x'{bytes(key).hex()}'")
    finally:
        key[:] = bytes(len(key))
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
