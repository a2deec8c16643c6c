"""`cogenesis settings …`: show and change settings from the command line."""

from __future__ import annotations

import argparse
from dataclasses import asdict, fields, replace

from cogenesis.cli.context import CliContext
from cogenesis.core.errors import SettingsError
from cogenesis.core.settings import Settings, load_settings, save_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    settings = sub.add_parser("settings", help="show or change settings")
    cmds = settings.add_subparsers(dest="settings_command", required=True, metavar="COMMAND")
    cmds.add_parser("show", help="print every setting").set_defaults(func=cmd_show)
    set_cmd = cmds.add_parser("set", help="change one setting")
    set_cmd.add_argument("name")
    set_cmd.add_argument("value")
    set_cmd.set_defaults(func=cmd_set)


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    for name, value in asdict(load_settings(ctx.paths.settings_file)).items():
        if name != "unknown":
            print(f"{name} = {value}")
    return 0


def cmd_set(ctx: CliContext, args: argparse.Namespace) -> int:
    settings = load_settings(ctx.paths.settings_file)
    types = {
        f.name: type(getattr(settings, f.name)) for f in fields(Settings) if f.name != "unknown"
    }
    if args.name not in types:
        raise SettingsError(
            f"There is no setting {args.name!r}.", f"Settings: {', '.join(sorted(types))}."
        )
    try:
        value = types[args.name](args.value)
    except ValueError as exc:
        raise SettingsError(
            f"{args.value!r} is not a valid {args.name}.", f"Give a {types[args.name].__name__}."
        ) from exc
    save_settings(replace(settings, **{args.name: value}), ctx.paths.settings_file)
    print(f"{args.name} = {value}")
    return 0
