"""Evaluation as the CoGenesis paper does it, plus what left the device: datasets, metrics,
per-sample results that a cut run resumes from, summaries and reports (no model or network
here: the command line drives the engine and hands the results in)."""
