-- wrk script: cycle through requests signed beforehand (wrk's Lua has no HMAC).
-- Usage: wrk ... --script signed_pool.lua URL -- POOL_FILE
-- Each line of POOL_FILE is "timestamp<TAB>signature<TAB>form body" (see bench/loadgen.py).

local pool = {}
local count, next_index = 0, 0

function init(args)
  for line in io.lines(args[1]) do
    local timestamp, signature, body = line:match("^(%d+)\t(%S+)\t(.*)$")
    count = count + 1
    pool[count] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Slack-Request-Timestamp"] = timestamp,
      ["X-Slack-Signature"] = signature,
    }, body)
  end
  assert(count > 0, "empty request pool")
end

function request()
  next_index = next_index % count + 1
  return pool[next_index]
end

-- One machine-readable line; times in microseconds. wrk counts answers >= 400 as status errors.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"tool": "wrk", "requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
