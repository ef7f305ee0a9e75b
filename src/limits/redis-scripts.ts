/**
 * @module limits/redis-scripts
 * The Lua scripts of the Redis limits store: a line-by-line port of `limits/engine.ts`,
 * `limits/gcra.ts` and `limits/quota.ts`, so Redis gives exactly the memory store's answers.
 * Each call runs atomically inside Redis, so a request's check-and-consume across all of its
 * subjects (key and org) is all-or-nothing even with many gateway replicas racing.
 *
 * KEYS layout (every script): KEYS[1] is the reservation marker of the request; then 5 keys per
 * subject, in subject order: rpm TAT, tpm TAT, concurrency leases (sorted set requestId →
 * lease expiry), tokens used in the day window, tokens used in the month window (the window id
 * is part of the key name, so a new day starts at zero). All keys carry the same hash tag
 * (`{org:<orgId>}`), so one script touches one Redis Cluster slot.
 *
 * ARGV[1] is a JSON document decoded with cjson (see `redis.ts`). Replies are JSON strings,
 * because Lua numbers would be truncated to integers on the way out.
 *
 * GCRA (see gcra.ts): limit L per period P, interval I = P / L, state TAT. A cost c is checked
 * as min(c, L): allowed when max(TAT, now) + min(c, L)·I − P − now ≤ ε; admitting sets
 * TAT = max(TAT, now) + c·I. Quotas: allowed when used + min(c, limit) ≤ limit.
 */

/** Shared Lua helpers, prepended to each script. */
const PRELUDE = `
local a = cjson.decode(ARGV[1])
local now = a.now
local P = 60000
local EPS = 1e-6
local function num(v) if v == nil or v == cjson.null then return nil end return v end
local function base(i) return 1 + (i - 1) * 5 end
local function getnum(key)
  local v = redis.call('GET', key)
  if v then return tonumber(v) end
  return 0
end
local function setnum(key, value, ttl)
  if ttl < 1000 then ttl = 1000 end
  redis.call('SET', key, string.format('%.17g', value), 'PX', math.ceil(ttl))
end
local function setTat(key, tat)
  if tat <= now then redis.call('DEL', key) else setnum(key, tat, tat - now + 1000) end
end
local function remaining(tat, limit)
  local used = math.max(0, tat - now)
  return math.max(0, math.min(limit, math.floor((P - used) / (P / limit) + EPS)))
end
local function window(limit, tat)
  return { limit = limit, remaining = remaining(tat, limit), resetMs = math.max(0, math.ceil(tat - now - EPS)) }
end
local function tighter(cur, w)
  if not cur then return w end
  if w.remaining ~= cur.remaining then
    if w.remaining < cur.remaining then return w end
    return cur
  end
  if w.resetMs > cur.resetMs then return w end
  return cur
end
-- The tightest windows given each subject's rpm and tpm TATs (tats[i] = {rpm, tpm}).
local function status(subjects, tats)
  local req, tok = nil, nil
  for i, s in ipairs(subjects) do
    if num(s.rpm) then req = tighter(req, window(s.rpm, tats[i][1])) end
    if num(s.tpm) then tok = tighter(tok, window(s.tpm, tats[i][2])) end
  end
  return req or cjson.null, tok or cjson.null
end
local function loadTats(subjects)
  local tats = {}
  for i, _ in ipairs(subjects) do
    local b = base(i)
    tats[i] = { getnum(KEYS[b + 1]), getnum(KEYS[b + 2]) }
  end
  return tats
end
`;

/**
 * Reserve: purge expired leases, check every limit of every subject, and commit only when all
 * pass. A refusal names the limit with the longest wait (first one on ties, as engine.ts).
 * Reply: {ok:true, requests, tokens} | {ok:false, limitedBy, retryAfterMs, requests, tokens}
 * | {dup:true} when the request id already holds a reservation.
 */
export const RESERVE_LUA = `${PRELUDE}
if redis.call('EXISTS', KEYS[1]) == 1 then return cjson.encode({ dup = true }) end
local cost = a.cost
local subjects = a.s
local tats = loadTats(subjects)
local worst = nil
local function refuse(name, retry)
  if not worst or retry > worst.retryAfterMs then worst = { limitedBy = name, retryAfterMs = retry } end
end
local function gcraCheck(tat, c, limit)
  local b = math.max(tat, now)
  local allowAt = b + math.min(c, limit) * (P / limit) - P
  if allowAt - now > EPS then return nil, math.ceil(allowAt - now) end
  return b + c * (P / limit), 0
end

local plan = {}
for i, s in ipairs(subjects) do
  local b = base(i)
  local n = { rpm = tats[i][1], tpm = tats[i][2] }
  local conc = num(s.conc)
  if conc then
    redis.call('ZREMRANGEBYSCORE', KEYS[b + 3], '-inf', now)
    if redis.call('ZCARD', KEYS[b + 3]) + 1 > conc then refuse(s.scope .. '.concurrency', a.concRetry) end
  end
  if num(s.rpm) then
    local t, retry = gcraCheck(tats[i][1], 1, s.rpm)
    if t then n.rpm = t else refuse(s.scope .. '.rpm', retry) end
  end
  if num(s.tpm) then
    local t, retry = gcraCheck(tats[i][2], cost, s.tpm)
    if t then n.tpm = t else refuse(s.scope .. '.tpm', retry) end
  end
  if num(s.day) then
    local used = getnum(KEYS[b + 4])
    if used + math.min(cost, s.day) > s.day then refuse(s.scope .. '.tokens_per_day', a.dayEnd - now) end
  end
  if num(s.month) then
    local used = getnum(KEYS[b + 5])
    if used + math.min(cost, s.month) > s.month then refuse(s.scope .. '.tokens_per_month', a.monthEnd - now) end
  end
  plan[i] = n
end

if worst then
  local req, tok = status(subjects, tats)
  return cjson.encode({ ok = false, limitedBy = worst.limitedBy, retryAfterMs = worst.retryAfterMs,
    requests = req, tokens = tok })
end

local after = {}
for i, s in ipairs(subjects) do
  local b = base(i)
  after[i] = { plan[i].rpm, plan[i].tpm }
  if num(s.rpm) then setTat(KEYS[b + 1], plan[i].rpm) end
  if num(s.tpm) then setTat(KEYS[b + 2], plan[i].tpm) end
  if num(s.conc) then
    redis.call('ZADD', KEYS[b + 3], now + a.lease, a.id)
    redis.call('PEXPIRE', KEYS[b + 3], a.lease * 2 + 1000)
  end
  if num(s.day) then setnum(KEYS[b + 4], getnum(KEYS[b + 4]) + cost, a.dayEnd - now + 3600000) end
  if num(s.month) then setnum(KEYS[b + 5], getnum(KEYS[b + 5]) + cost, a.monthEnd - now + 3600000) end
end
redis.call('SET', KEYS[1], '1', 'PX', a.markerTtl)
local req, tok = status(subjects, after)
return cjson.encode({ ok = true, requests = req, tokens = tok })
`;

/**
 * Finish (settle or release), idempotent per request id through the reservation marker: the
 * slot is freed, and tokens are corrected by `delta` (actual − reserved; release passes
 * actual = 0) in the TPM window and in the quota windows of the reservation — only when that
 * window is still the current one (a refund across midnight is dropped, as quota.ts does).
 * Reply: "1" when applied, "0" when already finished or unknown.
 */
export const FINISH_LUA = `${PRELUDE}
for i, _ in ipairs(a.s) do redis.call('ZREM', KEYS[base(i) + 3], a.id) end
if redis.call('DEL', KEYS[1]) == 0 then return '0' end
local delta = a.delta
if delta == 0 then return '1' end
for i, s in ipairs(a.s) do
  local b = base(i)
  if num(s.tpm) then
    local tat = getnum(KEYS[b + 2])
    local I = P / s.tpm
    if delta >= 0 then setTat(KEYS[b + 2], math.max(tat, now) + delta * I)
    else setTat(KEYS[b + 2], math.max(now, tat + delta * I)) end
  end
  if a.sameDay and num(s.day) then
    local k = KEYS[b + 4]
    local ttl = redis.call('PTTL', k)
    if ttl < 0 then ttl = a.dayEnd - now + 3600000 end
    setnum(k, math.max(0, getnum(k) + delta), ttl)
  end
  if a.sameMonth and num(s.month) then
    local k = KEYS[b + 5]
    local ttl = redis.call('PTTL', k)
    if ttl < 0 then ttl = a.monthEnd - now + 3600000 end
    setnum(k, math.max(0, getnum(k) + delta), ttl)
  end
end
return '1'
`;

/** Peek: the tightest request and token windows, consuming nothing. */
export const PEEK_LUA = `${PRELUDE}
local req, tok = status(a.s, loadTats(a.s))
return cjson.encode({ requests = req, tokens = tok })
`;

/** Renew: push the lease expiry of a held slot, only where it is still held (XX). */
export const RENEW_LUA = `
local a = cjson.decode(ARGV[1])
for i = 1, #KEYS do redis.call('ZADD', KEYS[i], 'XX', a['until'], a.id) end
return '1'
`;
