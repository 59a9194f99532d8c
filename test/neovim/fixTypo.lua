-- Driven by test/unit/lsp.neovim.test.ts: Neovim (0.7, headless, no user config) starts `encprops lsp --stdio` with
-- its own LSP client, attaches it to the buffer (a bitbucket.properties with a typo), waits for the diagnostics,
-- asks for the code actions of the typo's line, applies the quick fix, saves, waits for the diagnostics to clear and
-- writes what it saw to ENCPROPS_NVIM_OUT as JSON. Any Lua error is written there too, then Neovim quits.
local out = os.getenv('ENCPROPS_NVIM_OUT')
local report = { steps = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(report) }, out)
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'encprops',
    cmd = { os.getenv('ENCPROPS_NODE'), os.getenv('ENCPROPS_CLI'), 'lsp', '--stdio' },
    root_dir = vim.fn.getcwd(),
    settings = { encryptedProperties = { verify = { enable = false } } },
  })
  report.client = client_id ~= nil
  vim.lsp.buf_attach_client(bufnr, client_id)

  report.steps.diagnostics = vim.wait(15000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  local diagnostics = vim.diagnostic.get(bufnr)
  report.diagnostics = {}
  for _, d in ipairs(diagnostics) do
    table.insert(report.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message, source = d.source })
  end
  local first = diagnostics[1]
  local line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum)
  report.codes = {}
  for _, d in ipairs(line_diagnostics) do
    table.insert(report.codes, d.code)
  end

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = line_diagnostics[1].range,
    context = { diagnostics = line_diagnostics },
  }
  local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000) or {}
  report.actions = {}
  local chosen
  for _, answer in pairs(answers) do
    for _, action in ipairs(answer.result or {}) do
      table.insert(report.actions, action.title)
      if action.isPreferred and chosen == nil then
        chosen = action
      end
    end
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  vim.cmd('write')
  report.steps.cleared = vim.wait(15000, function()
    return #vim.diagnostic.get(bufnr) == 0
  end, 20)

  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 0, character = 50 },
  }, 10000) or {}
  for _, answer in pairs(hover) do
    report.hover = answer.result and answer.result.contents and answer.result.contents.value
  end

  vim.lsp.stop_client(client_id)
  report.steps.stopped = vim.wait(10000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 20)
end)
if not ok then
  report.error = tostring(err)
end
finish()
