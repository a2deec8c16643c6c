"""Run every benchmark, or those named (vault, llama, egress, privacy, collab, collab-sketch,
collab-quality, panel, gui, threads, overhead); print figures."""

import sys

from benchmarks import (
    collab_bench,
    collab_quality,
    egress_bench,
    gui_bench,
    llama_bench,
    overhead_bench,
    panel_bench,
    privacy_bench,
    threads_bench,
    vault_bench,
)

SUITES = {
    "vault": vault_bench.main,
    "llama": llama_bench.main,
    "egress": egress_bench.main,
    "privacy": privacy_bench.main,
    "collab": collab_bench.main,
    "collab-sketch": collab_bench.sketch_main,
    "collab-quality": collab_quality.main,
    "panel": panel_bench.main,
    "gui": gui_bench.main,
    "threads": threads_bench.main,
    "overhead": overhead_bench.main,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(SUITES):
        SUITES[name]()
        print()
