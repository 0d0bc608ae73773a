"""pairnet's application layer: what the CLI and the API share (imports, tabular exports)."""
