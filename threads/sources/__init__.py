"""Readers, one per input family; each turns a source into a ThreadDraft."""
