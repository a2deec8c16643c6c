"""Collaboration between the local model (sees the private context) and the remote model
(sees only the public part): fusion math and run verification, strategies and events."""
