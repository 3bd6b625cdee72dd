"""Extraction stages. ``diplograph.pipeline`` is the only place that knows their order."""
