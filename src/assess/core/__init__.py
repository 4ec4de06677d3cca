"""Pure values and functions: the instrument model, scoring, planning and the result code.

No file, network, widget, pandas or global state lives here; every other layer builds on it.
"""
