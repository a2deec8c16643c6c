"""The window imports core.llm (messages, model info) before it shows; numpy (0.2 s) comes
with the first distribution."""

from __future__ import annotations

import subprocess
import sys


def test_core_llm_imports_numpy_on_first_use_only() -> None:
    script = (
        "import sys\n"
        "import cogenesis.core.llm as llm\n"
        "before = 'numpy' in sys.modules\n"
        "top = llm.TokenDistribution.from_logits([0.0, 1.0, 3.0], top_k=2).top(1)\n"
        "print(before, 'numpy' in sys.modules, top[0][0])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True 2"
