"""Before Qt starts: is there a display, and the system libraries Qt's X11 plugin needs?

Without this, Qt aborts the process with a terse 'could not load the Qt platform plugin'.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

# Library (as ctypes.util.find_library names it) -> Debian/Ubuntu package that provides it.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> str | None:
    """A message saying what to do when the window cannot open here, else None."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None  # offscreen, wayland, eglfs…: Qt reports its own problems
    if not qpa and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "No display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot "
            "open. Run CoGenesis in a desktop session, or use the command line: "
            "cogenesis --help."
        )
    missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if find_library(lib) is None]
    if missing:
        return (
            "The window needs X11 libraries that are not installed. On Debian or Ubuntu: "
            f"sudo apt-get install {' '.join(missing)}"
        )
    return None
