"""Readers: files, HTML, PDF, JSON Lines corpora and stdin -> ``Document``."""
