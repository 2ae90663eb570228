"""Validation domain: the gate between a node's ingress topic and the validated stream.

checks.py holds the pure rules, gate.py the verdict on one message, agents.py the wiring.
"""
