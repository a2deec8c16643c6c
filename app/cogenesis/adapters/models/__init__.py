"""Model files: the starter model, the user's own GGUF files, and downloads."""

from cogenesis.adapters.models.catalog import (
    ModelCatalog,
    ModelEntry,
    chosen_model_path,
    starter_model_path,
)
from cogenesis.adapters.models.download import (
    DownloadCancelled,
    DownloadFailed,
    Progress,
    Unfinished,
    discard_unfinished,
    download_model,
    partial_size,
    unfinished_downloads,
)

__all__ = [
    "DownloadCancelled",
    "DownloadFailed",
    "ModelCatalog",
    "ModelEntry",
    "Progress",
    "Unfinished",
    "chosen_model_path",
    "discard_unfinished",
    "download_model",
    "partial_size",
    "starter_model_path",
    "unfinished_downloads",
]
