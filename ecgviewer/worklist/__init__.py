"""Worklists: index a folder of recordings, analyse them in batch, keep every review."""
