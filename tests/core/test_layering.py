"""core/ must never import PySide6, llama_cpp or openai (directly or through a dependency)."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import cogenesis.core

FORBIDDEN = ("PySide6", "llama_cpp", "openai")
CORE_DIR = Path(cogenesis.core.__file__).parent


def test_core_source_names_no_forbidden_module() -> None:
    offenders = []
    for path in CORE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            names += _dynamic_import_names(node)
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_every_core_module_imports_with_the_forbidden_modules_blocked() -> None:
    modules = [m.name for m in pkgutil.walk_packages(cogenesis.core.__path__, "cogenesis.core.")]
    assert len(modules) > 5
    script = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {FORBIDDEN!r}:\n"
        "            raise ImportError('forbidden in core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        f"assert not [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = ast.parse("import importlib\nimportlib.import_module('PySide6.QtCore')\nimport openai")
    found = [n for node in ast.walk(bad) for n in _dynamic_import_names(node)]
    found += [a.name for node in ast.walk(bad) if isinstance(node, ast.Import) for a in node.names]
    assert "PySide6.QtCore" in found
    assert "openai" in found


def _dynamic_import_names(node: ast.AST) -> list[str]:
    """``importlib.import_module("x")`` and ``__import__("x")`` with a literal name."""
    if not isinstance(node, ast.Call) or not node.args:
        return []
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = node.args[0]
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return [str(first.value)]
    return []
