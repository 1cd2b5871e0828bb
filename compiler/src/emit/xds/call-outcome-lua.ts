// The call-outcome script (Envoy's Lua filter, LuaJIT): how a tools/call ended, read in Envoy from
// its response body as the body streams past, so that a call whose tool keeps nothing of its result
// costs the control plane no ext_proc stream. It is the twin of xds-server/src/audit/call-outcome.ts
// (test/e2e/call-outcome-lua.test.ts runs both on the same bodies through a real Envoy): the JSON-RPC
// response to the call's id, in plain JSON or in a server-sent event, gives `outcome` (ok, tool_error,
// jsonrpc_error) and the JSON-RPC `error`, set as the request's dynamic metadata, which the
// access-log entry, and so the audit record, carries. Chunks pass on as they come, unchanged; the
// body is read up to MAX_COLLECTED_BYTES. The JSON reader checks what it skips (JSON.parse refuses
// what it refuses) but builds tables only for the levels it reads.
import { MAX_COLLECTED_BYTES } from '../../../../artifacts/src/audit/result-retention.ts';
import { MCP_METADATA_NAMESPACE, RESULTS_METADATA_NAMESPACE } from '../../../../artifacts/src/metadata-names.ts';

/** Nesting beyond which a body is not read (no outcome): the reader recurses once per level. */
const MAX_DEPTH = 512;

export function callOutcomeLua(): string {
  return `-- Gatehouse call outcome (compiler/src/emit/xds/call-outcome-lua.ts)
local find, sub, byte, char, concat, floor = string.find, string.sub, string.byte, string.char, table.concat, math.floor
local RESULTS, MCP, MAX_BYTES, MAX_DEPTH = '${RESULTS_METADATA_NAMESPACE}', '${MCP_METADATA_NAMESPACE}', ${String(MAX_COLLECTED_BYTES)}, ${String(MAX_DEPTH)}
-- Objects and arrays read are tables with one of these metatables; those below the levels read are the placeholders.
local OBJ, ARR, NULL = {}, {}, {}
local DEEP_OBJ, DEEP_ARR = setmetatable({}, OBJ), setmetatable({}, ARR)
local ESC = { [34] = '"', [92] = '\\\\', [47] = '/', [98] = '\\b', [102] = '\\f', [110] = '\\n', [114] = '\\r', [116] = '\\t' }

local function utf8(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 0x40), 0x80 + cp % 0x40) end
  if cp < 0x10000 then return char(0xE0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40) end
  return char(0xF0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40, 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

local function ws(s, i)
  local _, e = find(s, '^[ \\t\\r\\n]*', i)
  return e + 1
end

-- The JSON string at s[i] (a quote): its text (decoded when keep) and the index after it; nil if malformed.
local function str(s, i, keep)
  local parts, j = keep and {} or nil, i + 1
  while true do
    local k = find(s, '[%z\\1-\\31"\\\\]', j)
    if not k then return nil end
    local c = byte(s, k)
    if c < 32 then return nil end
    if parts then parts[#parts + 1] = sub(s, j, k - 1) end
    if c == 34 then return parts and concat(parts) or true, k + 1 end
    local e = byte(s, k + 1)
    if e == 117 then
      local hex = sub(s, k + 2, k + 5)
      if not find(hex, '^%x%x%x%x$') then return nil end
      local cp = tonumber(hex, 16)
      j = k + 6
      if cp >= 0xD800 and cp <= 0xDBFF and find(s, '^\\\\u[dD][c-fC-F]%x%x', j) then
        cp = 0x10000 + (cp - 0xD800) * 0x400 + (tonumber(sub(s, j + 2, j + 5), 16) - 0xDC00)
        j = j + 6
      elseif cp >= 0xD800 and cp <= 0xDFFF then
        cp = 0xFFFD
      end
      if parts then parts[#parts + 1] = utf8(cp) end
    elseif e and ESC[e] then
      if parts then parts[#parts + 1] = ESC[e] end
      j = k + 2
    else
      return nil
    end
  end
end

local function num(s, i)
  local _, e = find(s, '^-?0', i)
  if not e then _, e = find(s, '^-?[1-9]%d*', i) end
  if not e then return nil end
  local _, f = find(s, '^%.%d+', e + 1)
  if f then e = f end
  _, f = find(s, '^[eE][-+]?%d+', e + 1)
  if f then e = f end
  return tonumber(sub(s, i, e)), e + 1
end

-- The JSON value at s[i] and the index after it (nil if malformed); tables are built keep levels down.
local value
local function members(s, i, depth, keep, close, object)
  if depth > MAX_DEPTH then return nil end
  local t = keep > 0 and setmetatable({}, object and OBJ or ARR) or (object and DEEP_OBJ or DEEP_ARR)
  i = ws(s, i + 1)
  if byte(s, i) == close then return t, i + 1 end
  local n = 0
  while true do
    local key
    if object then
      if byte(s, i) ~= 34 then return nil end
      key, i = str(s, i, keep > 0)
      if not key then return nil end
      i = ws(s, i)
      if byte(s, i) ~= 58 then return nil end
      i = ws(s, i + 1)
    end
    local v
    v, i = value(s, i, depth + 1, keep - 1)
    if v == nil then return nil end
    n = n + 1
    if keep > 0 then t[object and key or n] = v end
    i = ws(s, i)
    local c = byte(s, i)
    if c == close then return t, i + 1 end
    if c ~= 44 then return nil end
    i = ws(s, i + 1)
  end
end

value = function(s, i, depth, keep)
  local c = byte(s, i)
  if c == 34 then return str(s, i, keep >= 0) end
  if c == 123 then return members(s, i, depth, keep, 125, true) end
  if c == 91 then return members(s, i, depth, keep, 93, false) end
  if find(s, '^true', i) then return true, i + 4 end
  if find(s, '^false', i) then return false, i + 5 end
  if find(s, '^null', i) then return NULL, i + 4 end
  return num(s, i)
end

local function isRecord(v) return type(v) == 'table' and getmetatable(v) == OBJ end

-- The fields of the response to id (nil: any) in one JSON text (a message or a batch), or nil.
local function callEnd(text, id)
  local message, e = value(text, ws(text, 1), 0, 3)
  if message == nil or ws(text, e) <= #text then return nil end
  local items = (type(message) == 'table' and getmetatable(message) == ARR) and message or { message }
  for _, item in ipairs(items) do
    if isRecord(item) and item.method == nil and (item.result ~= nil or item.error ~= nil) and (id == nil or item.id == id) then
      local err = item.error
      if isRecord(err) then
        local code = type(err.code) == 'number' and err.code or 0
        return { outcome = 'jsonrpc_error', error = { code = code, message = type(err.message) == 'string' and err.message or '' } }
      end
      return { outcome = (isRecord(item.result) and item.result.isError == true) and 'tool_error' or 'ok' }
    end
  end
  return nil
end

-- 'sse' when the body's first line is a server-sent event field, 'json' otherwise; nil while that is not yet known.
local function framing(text, final)
  local first = ws(text, 1)
  if first > #text then return final and 'json' or nil end
  if not final and not find(text, '\\n', first, true) and #text - first < 6 then return nil end
  for _, field in ipairs({ ':', 'event:', 'data:', 'id:', 'retry:' }) do
    if sub(text, first, first + #field - 1) == field then return 'sse' end
  end
  return 'json'
end

function envoy_on_response(handle)
  local mcp = handle:streamInfo():dynamicMetadata():get(MCP)
  local id = mcp and mcp.id
  if type(id) ~= 'number' and type(id) ~= 'string' then id = nil end
  local size, kind, parts, found = 0, nil, {}, nil
  -- Sets the metadata as soon as the response is read: a client may go once it has its result event.
  local function record(fields)
    found = fields
    if not fields then return end
    local metadata = handle:streamInfo():dynamicMetadata()
    for key, v in pairs(fields) do metadata:set(RESULTS, key, v) end
  end
  -- Reads the complete lines of an event stream (all of them at the end), keeping the last partial one.
  local function readLines(final)
    local text = concat(parts)
    local from = 1
    while not found do
      local nl = find(text, '\\n', from, true)
      if not nl and not final then break end
      local line = sub(text, from, nl and nl - 1 or #text)
      if sub(line, 1, 5) == 'data:' then record(callEnd(sub(line, 6), id)) end
      from = nl and nl + 1 or #text + 1
      if not nl then break end
    end
    parts = { sub(text, from) }
  end
  for chunk in handle:bodyChunks() do
    if not found and size <= MAX_BYTES then
      local bytes = chunk:getBytes(0, chunk:length())
      size = size + #bytes
      parts[#parts + 1] = bytes
      if size > MAX_BYTES then parts = {} end
      if size <= MAX_BYTES and kind == nil then kind = framing(concat(parts), false) end
      if size <= MAX_BYTES and kind == 'sse' and find(bytes, '\\n', 1, true) then readLines(false) end
    end
  end
  if found or size > MAX_BYTES then return end
  if (kind or framing(concat(parts), true)) == 'sse' then readLines(true) else record(callEnd(concat(parts), id)) end
end
`;
}
