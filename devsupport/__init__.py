"""What tests and benchmarks share: fakes at the seams and loopback servers.

Not part of the app (it is outside ``app/`` and never packaged); it may import the app, and
tests and benchmarks import it, never each other.
"""
