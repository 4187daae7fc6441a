-- wrk script: POST async runs of the benchmark app; counts 202 (accepted), 429 (queue full) and others.
-- The key comes from SB_KEY; the URL (with the app id and ?mode=async) is wrk's argument.
wrk.method = "POST"
wrk.body = '{"inputs":{"text":"The food was great"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SB_KEY")

local threads = {}

-- RATE (runs/s over all connections of this wrk) paces the requests instead of flooding: each
-- connection waits connections/RATE seconds between requests (wrk's delay hook; CONNECTIONS must match -c)
local pause = nil
if os.getenv("RATE") and os.getenv("RATE") ~= "" then
  pause = tonumber(os.getenv("CONNECTIONS")) * 1000 / tonumber(os.getenv("RATE"))
end

-- a client that honours Retry-After: a connection refused with 429 waits that long before its next request
local backoff = 0

function delay()
  local d = math.max(backoff, pause or 0)
  backoff = 0
  return d
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  accepted = 0
  refused = 0
  other = 0
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status == 429 then
    refused = refused + 1
    backoff = (tonumber(headers["Retry-After"]) or 1) * 1000
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local a, r, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
    o = o + t:get("other")
  end
  io.write(string.format("accepted=%d refused=%d other=%d p50=%.2fms p99=%.2fms\n", a, r, o,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
