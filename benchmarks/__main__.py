"""Run every benchmark, or those named (vault, llama, egress, privacy, collab, collab-cpp,
collab-sketch, collab-quality, fusion-bound, panel, gui, threads, twin, overhead); print figures."""

import sys

from benchmarks import (
    collab_bench,
    collab_cpp_bench,
    collab_quality,
    egress_bench,
    fusion_bound,
    gui_bench,
    llama_bench,
    overhead_bench,
    panel_bench,
    privacy_bench,
    threads_bench,
    twin_bench,
    vault_bench,
)

SUITES = {
    "vault": vault_bench.main,
    "llama": llama_bench.main,
    "egress": egress_bench.main,
    "privacy": privacy_bench.main,
    "collab": collab_bench.main,
    "collab-cpp": collab_cpp_bench.main,
    "collab-sketch": collab_bench.sketch_main,
    "collab-quality": collab_quality.main,
    "fusion-bound": fusion_bound.main,
    "panel": panel_bench.main,
    "gui": gui_bench.main,
    "threads": threads_bench.main,
    "twin": twin_bench.main,
    "overhead": overhead_bench.main,
}


def main(names: list[str]) -> int:
    if names in (["-h"], ["--help"]):
        print(f"usage: python -m benchmarks [NAME ...]\n\n{__doc__}")
        return 0
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    for name in names or list(SUITES):
        SUITES[name]()
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
