-- Request, in turn, every path listed in a file (one per line: `-- paths.txt [max]`), each wrk
-- thread starting at its own offset, and report on one line prefixed with BENCH_JSON: requests,
-- duration, latency percentiles, socket errors, and the count of each HTTP status and of each
-- X-Cache value (HIT, MISS, BYPASS, or "-" when absent). With `max`, each thread stops after
-- that many responses, even before wrk's duration is up.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  budget = tonumber(args[2] or "0")
  received = 0
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  index = (offset * 7919) % #paths
  statuses = {}
  cache = {}
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  received = received + 1
  if budget > 0 and received >= budget then
    wrk.thread:stop()
  end
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local state = headers["X-Cache"] or "-"
  cache[state] = (cache[state] or 0) + 1
end

local function merge(name)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get(name)) do
      total[key] = (total[key] or 0) + count
    end
  end
  local parts = {}
  for key, count in pairs(total) do
    table.insert(parts, string.format('"%s": %d', key, count))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"statuses": %s, "cache": %s}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout,
    merge("statuses"), merge("cache")
  ))
end
