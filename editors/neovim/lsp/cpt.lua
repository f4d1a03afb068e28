-- `cpt lsp` for Neovim 0.11+ (`vim.lsp.enable("cpt")`) and nvim-lspconfig's `lsp/` configs:
-- cmd, filetypes, root_markers and settings, with this folder on 'runtimepath'.
return require("cpt").config()
