-- wrk script: POSTs the EventList bodies written by make-bodies.py in rotation and counts the answers by status.
--
--   wrk -t2 -c16 -d20s -s webhook.lua http://127.0.0.1:PORT/audit -- bodies=DIR threads=2 [fresh=1] [rate=R]
--
-- bodies=DIR  the make-bodies.py output; thread i of `threads` sends bodies i, i+threads, ... over and over.
-- fresh=1     stamps every request with its own auditID prefix and the current second, so nothing is a redelivery
--             (costs wrk one 170 KiB string concatenation per request).
-- rate=R      paces the requests of all threads together to R per second (the overload run); without it, as fast
--             as the answers come.
-- Prints one "RESULT key=value ..." line for webhook-load.sh.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } wrk_timespec;
int clock_gettime(int clock_id, wrk_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("wrk_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

-- Main state: every thread, for done().
local threads = {}
local next_thread_index = 0

function setup(thread)
  thread:set("thread_index", next_thread_index)
  next_thread_index = next_thread_index + 1
  table.insert(threads, thread)
end

-- Thread state. Counters are globals so that done() can read them with thread:get.
sent, ok, refused, other, acked_events, skipped = 0, 0, 0, 0, 0, 0

local requests = {}
local next_request = 1
local fresh = false
local events_per_body = 400

local ID_KEY, ID_WIDTH = '"auditID":"', 8
local TIME_KEY, TIME_WIDTH = 'Timestamp":"', 19

local function parse_args(args)
  local options = {}
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if not key then
      error("webhook.lua: arguments are key=value, not " .. arg)
    end
    options[key] = value
  end
  return options
end

local function read_file(path)
  local file = io.open(path, "rb")
  if not file then
    return nil
  end
  local content = file:read("*a")
  file:close()
  return content
end

-- A request split at every auditID prefix and timestamp second, so that a fresh one is a table.concat away.
local function template(head, body)
  local parts, ids, times = { head }, {}, {}
  local position = 1
  while true do
    local id_at = body:find(ID_KEY, position, true)
    local time_at = body:find(TIME_KEY, position, true)
    local at, key, width, slots
    if id_at and (not time_at or id_at < time_at) then
      at, key, width, slots = id_at, ID_KEY, ID_WIDTH, ids
    elseif time_at then
      at, key, width, slots = time_at, TIME_KEY, TIME_WIDTH, times
    else
      break
    end
    local value = at + #key
    parts[#parts + 1] = body:sub(position, value - 1)
    parts[#parts + 1] = body:sub(value, value + width - 1)
    slots[#slots + 1] = #parts
    position = value + width
  end
  parts[#parts + 1] = body:sub(position)
  return { parts = parts, ids = ids, times = times }
end

function init(args)
  local options = parse_args(args)
  local directory = options.bodies or error("webhook.lua: bodies=DIR is required")
  local thread_count = tonumber(options.threads or "1")
  fresh = options.fresh == "1"
  events_per_body = tonumber(options.events or "400")
  local headers = { ["Content-Type"] = "application/json" }
  for index = thread_index, 100000, thread_count do
    local body = read_file(string.format("%s/body-%04d.json", directory, index))
    if not body then
      break
    end
    local request = wrk.format("POST", nil, headers, body)
    requests[#requests + 1] = fresh and template(request:sub(1, #request - #body), body) or request
  end
  if #requests == 0 then
    error("webhook.lua: no body-NNNN.json for thread " .. thread_index .. " in " .. directory)
  end

  local rate = tonumber(options.rate or "0")
  if rate > 0 then
    -- One schedule per thread shared by its connections: whichever connection is free takes the next slot, so the
    -- offered rate holds while the server is slow, as long as some connection is free. A schedule more than a second
    -- behind is not caught up in a burst: the missed slots are counted as skipped.
    local interval = 1000 * thread_count / rate
    local next_slot = now_ms()
    function delay()
      local now = now_ms()
      if next_slot < now - 1000 then
        skipped = skipped + math.floor((now - next_slot) / interval)
        next_slot = now
      end
      local wait = next_slot - now
      next_slot = next_slot + interval
      return wait > 0 and wait or 0
    end
  end
end

local stamped_second, stamp = -1, nil

local function fresh_request(request)
  local tag = string.format("%02x%06x", thread_index % 256, sent % 0x1000000)
  local second = os.time()
  if second ~= stamped_second then
    stamped_second, stamp = second, os.date("!%Y-%m-%dT%H:%M:%S", second)
  end
  local parts = request.parts
  for _, slot in ipairs(request.ids) do
    parts[slot] = tag
  end
  for _, slot in ipairs(request.times) do
    parts[slot] = stamp
  end
  return table.concat(parts)
end

function request()
  local prepared = requests[next_request]
  next_request = next_request % #requests + 1
  sent = sent + 1
  return fresh and fresh_request(prepared) or prepared
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    -- /audit says how many events it accepted; the scan baseline answers a token count instead.
    local accepted = body and body:match('"accepted":(%d+)')
    acked_events = acked_events + (accepted and tonumber(accepted) or events_per_body)
  elseif status == 429 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, _)
  local totals = { sent = 0, ok = 0, refused = 0, other = 0, acked_events = 0, skipped = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(totals) do
      totals[key] = totals[key] + thread:get(key)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT duration_s=%.3f sent=%d answered=%d s200=%d s429=%d other=%d acked_events=%d skipped=%d " ..
    "timeouts=%d connect_errors=%d read_errors=%d write_errors=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.duration / 1e6, totals.sent, totals.ok + totals.refused + totals.other, totals.ok, totals.refused,
    totals.other, totals.acked_events, totals.skipped, errors.timeout, errors.connect, errors.read, errors.write,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
