-- Driven by test_neovim.py: start `cpt lsp` through editors/neovim on $CPT_FILE, then write
-- what the editor saw (diagnostics, hover, code action, buffer after the fix) to $CPT_RESULT.
-- Every wait is vim.wait with a bound; the Python side asserts on the result.

local result = { steps = {} }
local TIMEOUT = 10000
-- get_active_clients is deprecated since 0.10; 0.7 has only it.
local clients = vim.lsp.get_clients or vim.lsp.get_active_clients

local function write_result()
  vim.fn.writefile({ vim.fn.json_encode(result) }, vim.env.CPT_RESULT)
end

local function wait(step, condition)
  local ok = vim.wait(TIMEOUT, condition, 20)
  table.insert(result.steps, { step = step, ok = ok })
  if not ok then
    error("timed out waiting for " .. step)
  end
end

local function cpt_diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "cpt" then
      table.insert(found, d)
    end
  end
  return found
end

local function by_code(diagnostics, code)
  for _, d in ipairs(diagnostics) do
    if d.code == code then
      return d
    end
  end
end

local function run()
  vim.opt.runtimepath:prepend(vim.env.CPT_PLUGIN)
  local cpt = require("cpt")
  local lsp_config = dofile(vim.env.CPT_PLUGIN .. "/lsp/cpt.lua")
  result.config = {
    cmd = lsp_config.cmd,
    filetypes = lsp_config.filetypes,
    root_markers = lsp_config.root_markers,
  }
  cpt.setup({ cmd = vim.fn.json_decode(vim.env.CPT_CMD) })
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.CPT_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client
  wait("client", function()
    client = clients()[1]
    return client ~= nil and client.initialized
  end)
  result.root_dir = client.config.root_dir

  wait("diagnostics", function() return #cpt_diagnostics(bufnr) >= 2 end)
  result.diagnostics = {}
  for _, d in ipairs(cpt_diagnostics(bufnr)) do
    table.insert(result.diagnostics, {
      code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message,
    })
  end

  local target = by_code(cpt_diagnostics(bufnr), "mutable-default-argument")
  -- The fixture is ASCII, so byte columns are the LSP characters.
  local range = {
    start = { line = target.lnum, character = target.col },
    ["end"] = { line = target.end_lnum, character = target.end_col },
  }
  local document = { uri = vim.uri_from_bufnr(bufnr) }

  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover",
    { textDocument = document, position = range.start }, TIMEOUT)
  local answer = hover and hover[client.id]
  result.hover = answer and answer.result and answer.result.contents.value

  local diagnostic = {
    range = range, code = target.code, source = target.source, message = target.message,
    severity = target.severity,
  }
  local actions = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", {
    textDocument = document, range = range,
    context = { diagnostics = { diagnostic }, only = { "quickfix" } },
  }, TIMEOUT)
  result.actions = {}
  local preferred
  for _, action in ipairs((actions and actions[client.id] or {}).result or {}) do
    table.insert(result.actions, action.title)
    if action.isPreferred then
      preferred = action
    end
  end
  if preferred then
    vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
    result.fixed = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    -- The edit reached the server too: the finding goes away, the other one stays.
    wait("diagnostics after the fix", function()
      local now = cpt_diagnostics(bufnr)
      return #now > 0 and by_code(now, "mutable-default-argument") == nil
    end)
    result.codes_after_fix = {}
    for _, d in ipairs(cpt_diagnostics(bufnr)) do
      table.insert(result.codes_after_fix, d.code)
    end
  end
end

local ok, err = pcall(run)
result.error = (not ok) and tostring(err) or nil
write_result()
for _, client in ipairs(clients()) do
  vim.lsp.stop_client(client.id)
end
vim.wait(2000, function() return #clients() == 0 end, 20)
vim.cmd(ok and "qall!" or "cquit!")
