"""CoGenesis Desktop: a private assistant where only the local model sees your context."""

__version__ = "0.1.0"
APP_NAME = "CoGenesis"
