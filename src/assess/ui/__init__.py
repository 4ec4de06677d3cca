"""Widgets (ipywidgets) and chart builders (plotly); no I/O here."""
