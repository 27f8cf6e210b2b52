-- Shared by the per-query scripts: posts one GraphQL query, counts the answers that are not
-- a 200 without `errors`, and prints one machine-readable RESULT line at the end.
--
-- The query comes from $BENCH_QUERY_FILE (a .graphql file, or a .json request body), the
-- path from $BENCH_PATH (default /graphql).

local bench = {}

local function read(path)
  local file = assert(io.open(path, "r"), "cannot read " .. path)
  local text = file:read("*a")
  file:close()
  return text
end

local function json_string(text)
  local escaped = text:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. escaped .. '"'
end

function bench.body(query_file)
  local text = read(query_file)
  if query_file:match("%.json$") then
    return text
  end
  return '{"query":' .. json_string(text) .. '}'
end

local threads = {}

function bench.install(query_file)
  wrk.method = "POST"
  wrk.path = os.getenv("BENCH_PATH") or "/graphql"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  wrk.body = bench.body(os.getenv("BENCH_QUERY_FILE") or query_file)

  function setup(thread)
    table.insert(threads, thread)
  end

  function init(args)
    bad = 0
    sample = nil
  end

  function response(status, headers, body)
    if status ~= 200 or body:find('"errors"', 1, true) then
      bad = bad + 1
      if sample == nil then sample = status .. " " .. body:sub(1, 200) end
    end
  end

  function done(summary, latency, requests)
    local failed = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
    local example = ""
    for _, thread in ipairs(threads) do
      failed = failed + thread:get("bad")
      example = thread:get("sample") or example
    end
    io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f failed=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
    if example ~= "" then io.write("FAILED_SAMPLE " .. example .. "\n") end
  end
end

return bench
