from __future__ import annotations

from cogenesis.gui.platform_check import XCB_LIBRARIES, display_problem


def everything(name: str) -> str | None:
    return f"lib{name}.so"


def test_no_display_on_linux_says_what_to_do() -> None:
    message = display_problem({}, "linux", everything)
    assert message and "No display" in message and "cogenesis --help" in message


def test_missing_xcb_libraries_name_the_packages() -> None:
    def without_cursor(name: str) -> str | None:
        return None if name == "xcb-cursor" else everything(name)

    message = display_problem({"DISPLAY": ":0"}, "linux", without_cursor)
    assert message and message.endswith("sudo apt-get install libxcb-cursor0")


def test_fine_cases() -> None:
    assert display_problem({"DISPLAY": ":0"}, "linux", everything) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", lambda _: None) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda _: None) is None
    assert display_problem({}, "darwin", lambda _: None) is None
    assert display_problem({}, "win32", lambda _: None) is None


def test_every_library_maps_to_a_package() -> None:
    assert all(pkg.startswith("lib") for pkg in XCB_LIBRARIES.values())
