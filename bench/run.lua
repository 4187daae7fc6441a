-- wrk script: POST a sync run of the benchmark app; counts answers that are not 200.
-- The key comes from SB_KEY; the URL (with the app id) is wrk's argument.
wrk.method = "POST"
wrk.body = '{"inputs":{"text":"load test"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SB_KEY")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failed = 0
  succeeded = 0
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"status":"succeeded"', 1, true) then
    succeeded = succeeded + 1
  else
    failed = failed + 1
    if failed <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("succeeded")
    bad = bad + t:get("failed")
  end
  io.write(string.format("runs succeeded: %d, other answers: %d\n", ok, bad))
  io.write(string.format("throughput: %.0f runs/s\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
