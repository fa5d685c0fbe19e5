"""Untrusted bytes in, safely: bounded readers, path guards, text safety, date bounds, YAML
parsing with readable errors. Imports only ``assess.errors`` and the standard library.
"""
