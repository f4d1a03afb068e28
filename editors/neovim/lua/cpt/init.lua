--- Code Periodic Table (`cpt lsp`) for Neovim's built-in LSP client.
---
--- require("cpt").setup()                 -- start `cpt lsp` for every supported filetype
--- require("cpt").start({ cmd = {...} })  -- start (or reuse) it for the current buffer
--- require("cpt").register_lspconfig()    -- make `require("lspconfig").cpt.setup({})` work
---
--- Works with Neovim 0.7 and later: `vim.lsp.start` where it exists (0.8+), otherwise
--- `vim.lsp.start_client` with the same reuse rule (one client per name and root).

local M = {}

M.name = "cpt"
M.filetypes = {
  "python", "javascript", "javascriptreact", "typescript", "typescriptreact", "java", "go",
}
-- Checked in this order in each folder, from the file's folder upwards.
M.root_markers = { "pyproject.toml", "cpt.toml", ".git" }

--- The server configuration, nvim-lspconfig style, with `overrides` merged in (a new table).
function M.config(overrides)
  local config = {
    name = M.name,
    cmd = { "cpt", "lsp" },
    filetypes = vim.deepcopy(M.filetypes),
    root_markers = vim.deepcopy(M.root_markers),
    -- Sent as the workspace configuration section `cpt`: select, ignore, severity,
    -- thresholds, codeLens, debounceMs, logFile (see the README).
    settings = { cpt = vim.empty_dict() },
  }
  for key, value in pairs(overrides or {}) do
    config[key] = value
  end
  return config
end

--- The folder that holds the first root marker above `path`, or nil.
function M.root_dir(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers or M.root_markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function start_client(config, bufnr)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7: reuse a running client of the same name and root, as vim.lsp.start does.
  for _, client in ipairs(vim.lsp.get_active_clients()) do  -- 0.7 has no get_clients
    if client.name == config.name and client.config.root_dir == config.root_dir then
      vim.lsp.buf_attach_client(bufnr, client.id)
      return client.id
    end
  end
  local id = vim.lsp.start_client(config)
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Start `cpt lsp` for buffer `bufnr` (default: current) and return the client id.
function M.start(overrides, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local config = M.config(overrides)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" then
    return nil
  end
  config.root_dir = config.root_dir
    or M.root_dir(path, config.root_markers)
    or vim.fn.fnamemodify(path, ":p:h")
  config.workspace_folders = config.workspace_folders or {
    { uri = vim.uri_from_fname(config.root_dir), name = config.root_dir },
  }
  return start_client(config, bufnr)
end

--- Start the server for every buffer of a supported filetype, now and as they open.
function M.setup(overrides)
  local filetypes = (overrides and overrides.filetypes) or M.filetypes
  local group = vim.api.nvim_create_augroup("cpt_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = filetypes,
    callback = function(args)
      M.start(overrides, args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr)
        and vim.tbl_contains(filetypes, vim.bo[bufnr].filetype) then
      M.start(overrides, bufnr)
    end
  end
end

--- Add `cpt` to nvim-lspconfig's servers; false when nvim-lspconfig is not installed.
function M.register_lspconfig(overrides)
  local ok, configs = pcall(require, "lspconfig.configs")
  if not ok then
    return false
  end
  if not configs[M.name] then
    local util = require("lspconfig.util")
    local config = M.config(overrides)
    configs[M.name] = {
      default_config = {
        cmd = config.cmd,
        filetypes = config.filetypes,
        root_dir = util.root_pattern(unpack(config.root_markers)),
        settings = config.settings,
        single_file_support = true,
      },
      docs = { description = "Code Periodic Table: `cpt lsp` (pip install code-periodic-table)." },
    }
  end
  return true
end

return M
