-- wrk script for bench/search.py: each request takes the next path from the file named by
-- $BENCH_URLS (one path per line). The $BENCH_THREADS threads interleave (thread t takes paths
-- t, t + n, t + 2n, ...), so no path is requested twice before the whole list has been: a cold
-- run with a list longer than its requests never repeats a search. After the end of the list a
-- thread starts again from its beginning.
-- done() prints one machine-readable line with exact percentiles (microseconds).

local paths = {}
local index = 0
local step = 1
local started = 0

function setup(thread)
  thread:set("thread_number", started)
  started = started + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  index = (thread_number or 0) - step  -- 0-based; the first request adds one step
end

function request()
  index = (index + step) % #paths
  return wrk.format("GET", paths[index + 1])
end

function done(summary, latency, requests)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p95_us=%d p99_us=%d " ..
    "max_us=%d mean_us=%d status_errors=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
