"""Thin adapters between the pure core and the page; the only modules that import js/pyodide."""
