-- wrk script of bench/comment_submission.py: each request takes the next virtual client's session
-- cookie and CSRF token and posts a new comment on that client's provision; responses are counted
-- by status, and the ids and receipts of accepted comments are written out for the integrity check.
--
-- Paths come from the environment: BENCH_WRK_CLIENTS (one client a line: sessionid, csrftoken and
-- provision id, tab-separated) and BENCH_WRK_OUT (written by done()).

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  clients = {}
  for line in io.lines(os.getenv("BENCH_WRK_CLIENTS")) do
    local sessionid, csrftoken, provision = line:match("^(%S+)\t(%S+)\t(%d+)$")
    if sessionid then
      table.insert(clients, {
        headers = {
          ["Content-Type"] = "application/json",
          ["Cookie"] = "sessionid=" .. sessionid .. "; csrftoken=" .. csrftoken,
          ["X-CSRFToken"] = csrftoken,
        },
        provision = provision,
      })
    end
  end
  -- threads start at different clients so that they do not all post with the same session at once
  next_client = (thread_number - 1) * 7
  sent = 0
  statuses = {}
  accepted = {}
end

function request()
  next_client = next_client % #clients + 1
  sent = sent + 1
  local client = clients[next_client]
  local body = string.format(
    '{"provision": %s, "body": "Benchmark comment %d-%d: this article should guarantee peaceful assembly without prior permission.", "stance": "oppose", "language": "en"}',
    client.provision, thread_number, sent)
  return wrk.format("POST", nil, client.headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local id = body:match('"id":%s*(%d+)') or "?"
    local receipt = body:match('"receipt":%s*"([^"]+)"') or "-"
    accepted[#accepted + 1] = id .. " " .. receipt
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_WRK_OUT"), "w"))
  out:write(string.format("requests %d\nduration_us %d\n", summary.requests, summary.duration))
  for _, kind in ipairs({"connect", "read", "write", "timeout"}) do
    out:write(string.format("socket_%s %d\n", kind, summary.errors[kind]))
  end
  for _, p in ipairs({50, 95, 99}) do
    out:write(string.format("p%d_us %d\n", p, latency:percentile(p)))
  end
  out:write(string.format("max_us %d\nmean_us %d\n", latency.max, latency.mean))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      out:write(string.format("status %d %d\n", status, count))
    end
    for _, line in ipairs(thread:get("accepted")) do
      out:write("accepted " .. line .. "\n")
    end
  end
  out:close()
end
