"""Importers: values from other files written into records, every other byte kept."""
