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
    download_model,
    partial_size,
)

__all__ = [
    "DownloadCancelled",
    "DownloadFailed",
    "ModelCatalog",
    "ModelEntry",
    "Progress",
    "chosen_model_path",
    "download_model",
    "partial_size",
    "starter_model_path",
]
