"""The strategies by answer mode: local only, cloud without context, full context
(consented), sketch-then-expand, logit fusion.

Each is a generator of events (``ask.Strategy``). The local model sees the private context;
the remote model sees only the public part of the instruction (and, for fusion, the public
version of the answer so far). Every remote request still passes the privacy guard at the
choke point.
"""

from __future__ import annotations

from cogenesis.core.collab.ask import Strategy
from cogenesis.core.collab.direct import cloud_without_context, full_context, local_only
from cogenesis.core.collab.logit import logit_fusion
from cogenesis.core.collab.sketch import sketch_then_expand
from cogenesis.core.policy import AnswerMode

STRATEGIES: dict[AnswerMode, Strategy] = {
    AnswerMode.LOCAL: local_only,
    AnswerMode.CLOUD: cloud_without_context,
    AnswerMode.FULL: full_context,
    AnswerMode.SKETCH: sketch_then_expand,
    AnswerMode.LOGIT: logit_fusion,
}
