"""What may leave the device: the vault's sensitive-data index, the public part of a request,
and the guard the egress choke point asks."""

from cogenesis.core.privacy.guard import PrivacyGuard
from cogenesis.core.privacy.index import IndexCache, SensitiveIndex, build_index
from cogenesis.core.privacy.preview import Marker, marker_spans, needs_preview
from cogenesis.core.privacy.public import PublicText, Replacement, make_public
from cogenesis.core.privacy.terms import TermHit, TermMatcher

__all__ = [
    "IndexCache",
    "Marker",
    "PrivacyGuard",
    "PublicText",
    "Replacement",
    "SensitiveIndex",
    "TermHit",
    "TermMatcher",
    "build_index",
    "make_public",
    "marker_spans",
    "needs_preview",
]
