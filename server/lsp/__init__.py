"""The `cpt lsp` language server: one module per LSP feature, registered in `server.py`."""
