"""Integrity Assistant: cited answers from UN accountability and ethics documents."""

__version__ = "0.1.0"
