"""Delivery: each node's inbox topic gets what that node is entitled to read, nothing else."""
