"""Build the one-folder bundle (``make package``): icons from the SVG, PyInstaller with
``cogenesis.spec``, the desktop entry and icons inside, a tarball with its SHA-256 beside it;
then print the bundle's size, the ten largest files, and the time from starting the binary to
the window shown (headless, a fresh home: the welcome wizard; a home with a vault: the main
window)."""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "app" / "cogenesis" / "gui" / "resources" / "cogenesis.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DIST = ROOT / "dist"
BUNDLE = DIST / "cogenesis"
STARTS = 3
PASSPHRASE = "package start lantern 77"  # noqa: S105 - a throwaway vault's


def main() -> int:
    sys.path.insert(0, str(ROOT / "app"))
    from cogenesis import __version__

    icons = render_icons(ROOT / "build" / "icons")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "packaging" / "cogenesis.spec")],
        check=True,
    )  # fmt: skip
    built = time.perf_counter() - started
    install_desktop_files(icons)
    tarball = make_tarball(__version__)
    print(f"# package: {BUNDLE.relative_to(ROOT)} built in {built:.0f} s")
    print_size()
    print(f"tarball: {tarball.relative_to(ROOT)} ({tarball.stat().st_size / 2**20:.0f} MiB), "
          f"SHA-256 in {tarball.name}.sha256")  # fmt: skip
    print_start_times()
    return 0


def render_icons(folder: Path) -> dict[int, Path]:
    """PNG icons in every size from the SVG source (Qt's SVG renderer, off screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        made[size] = folder / f"cogenesis-{size}.png"
        image.save(str(made[size]))
    del app
    return made


def install_desktop_files(icons: dict[int, Path]) -> None:
    """share/applications/cogenesis.desktop and share/icons/hicolor/… inside the bundle."""
    share = BUNDLE / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "assets" / "cogenesis.desktop", share / "applications")
    for size, png in icons.items():
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, target / "cogenesis.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy(SVG, scalable / "cogenesis.svg")


def make_tarball(version: str) -> Path:
    machine = f"{platform.system().lower()}-{platform.machine()}"
    tarball = DIST / f"cogenesis-{version}-{machine}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(BUNDLE, arcname="cogenesis")
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    Path(f"{tarball}.sha256").write_text(f"{digest}  {tarball.name}\n", encoding="utf-8")
    return tarball


def print_size() -> None:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"bundle size: {total / 2**20:.0f} MiB in {len(files)} files; the ten largest:")
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:10]:
        print(f"  {path.stat().st_size / 2**20:7.1f} MiB  {path.relative_to(BUNDLE)}")


def print_start_times() -> None:
    binary = BUNDLE / ("cogenesis.exe" if sys.platform == "win32" else "cogenesis")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "COGENESIS_EXIT_WHEN_SHOWN": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no user's keyring touched
    }
    with tempfile.TemporaryDirectory() as fresh, tempfile.TemporaryDirectory() as kept:
        _start_line(binary, {**env, "COGENESIS_HOME": kept})  # first start: disk cache warm-up
        subprocess.run(
            [str(binary), "vault", "init"], input=f"{PASSPHRASE}\n{PASSPHRASE}\n", text=True,
            env={**env, "COGENESIS_HOME": kept}, check=True, capture_output=True,
        )  # fmt: skip
        for label, home in (("first run (welcome wizard)", fresh), ("with a vault", kept)):
            runs = [_start_line(binary, {**env, "COGENESIS_HOME": home}) for _ in range(STARTS)]
            walls = sorted(wall for wall, _ in runs)
            print(f"start to window shown, {label}: {statistics.median(walls):.2f} s median of "
                  f"{STARTS} (from exec to the first painted frame; {runs[0][1]})")  # fmt: skip


def _start_line(binary: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - started
    line = next((x for x in done.stdout.splitlines() if x.startswith("window shown")), "")
    if not line:
        raise SystemExit(f"the bundle showed no window: {done.stdout}{done.stderr}")
    return wall, line


if __name__ == "__main__":
    raise SystemExit(main())
