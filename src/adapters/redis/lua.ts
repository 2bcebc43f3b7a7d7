import type { Redis } from 'ioredis';

// Every script takes the session key last and gives the keys it creates the session's remaining
// life, so a checkpoint or a fence counter never outlives (or leaks past) the session record. The
// fence counter must never expire before the snapshot: a reset counter would hand out fences
// below the snapshot's and lock every owner out.
const align = `
local function align(key, session)
  local ttl = redis.call('PTTL', session)
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
`;

/**
 * KEYS: lease, fence, session, handoff. ARGV: nodeId, ttlMs. Returns the new fence, or 0 when
 * held. A handoff request was addressed to the previous owner, so a new owner starts without one
 * (else it would hand the session straight on).
 */
const acquire = `${align}
if not redis.call('SET', KEYS[1], ARGV[1] .. ':pending', 'NX', 'PX', ARGV[2]) then return 0 end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
redis.call('DEL', KEYS[4])
align(KEYS[2], KEYS[3])
return fence
`;

/** KEYS: lease, snap, session. ARGV: "nodeId:fence", ttlMs, nowMs. Returns 1, or 0 when lost. */
const renew = `${align}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'aliveAt', ARGV[3])
align(KEYS[2], KEYS[3])
return 1
`;

/** KEYS: lease, handoff. ARGV: "nodeId:fence". Returns 1 when released (which answers a handoff). */
const release = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

/**
 * KEYS: lease, snap, session. ARGV: "nodeId:fence", fence, machineVersion, snapshot, transcript,
 * updatedAt. Returns 1, or 0 when the lease is gone or a newer fence has already written.
 */
const write = `${align}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local fence = tonumber(ARGV[2])
local written = redis.call('HGET', KEYS[2], 'fence')
if written and tonumber(written) > fence then return 0 end
local seq = (tonumber(redis.call('HGET', KEYS[2], 'seq')) or 0) + 1
redis.call('HSET', KEYS[2], 'fence', fence, 'seq', seq, 'machineVersion', ARGV[3],
  'snapshot', ARGV[4], 'transcript', ARGV[5], 'updatedAt', ARGV[6])
align(KEYS[2], KEYS[3])
return 1
`;

/** KEYS: session. ARGV: expectedHash, nowMs, nextHash, nextExpiresAt. Returns 1 when swapped. */
const consumeTicket = `
local ticket = redis.call('HMGET', KEYS[1], 'ticketHash', 'ticketExpiresAt')
if ticket[1] ~= ARGV[1] then return 0 end
local expiresAt = tonumber(ticket[2])
if not expiresAt or expiresAt < tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'ticketHash', ARGV[3], 'ticketExpiresAt', ARGV[4])
return 1
`;

// A plain HSET on an expired session would recreate it as a partial record with no TTL.
/** KEYS: session. ARGV: field, value, ... Returns 1 when the session existed. */
const updateSession = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

const definitions = {
  acquire: { lua: acquire, numberOfKeys: 4 },
  renew: { lua: renew, numberOfKeys: 3 },
  release: { lua: release, numberOfKeys: 2 },
  write: { lua: write, numberOfKeys: 3 },
  consumeTicket: { lua: consumeTicket, numberOfKeys: 1 },
  updateSession: { lua: updateSession, numberOfKeys: 1 },
} as const;

export type CheckpointScriptName = keyof typeof definitions;

/** Runs one script: keys first (as many as its numberOfKeys), then its arguments. */
export type CheckpointScripts = Record<
  CheckpointScriptName,
  (...keysThenArgs: (string | number)[]) => Promise<unknown>
>;

type ScriptCommand = (this: Redis, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Registers the scripts on `redis` (ioredis sends EVALSHA and falls back to EVAL once per
 * connection, so a restarted server with an empty script cache still works). Names carry a
 * prefix because defineCommand installs them as methods on the shared client.
 */
export function defineCheckpointScripts(redis: Redis): CheckpointScripts {
  const commands = redis as unknown as Record<string, ScriptCommand | undefined>;
  const scripts = {} as CheckpointScripts;
  for (const [name, definition] of Object.entries(definitions)) {
    const command = `checkpoint${name[0]?.toUpperCase()}${name.slice(1)}`;
    if (typeof commands[command] !== 'function') redis.defineCommand(command, definition);
    const run = commands[command] as ScriptCommand;
    scripts[name as CheckpointScriptName] = (...args) => run.apply(redis, args);
  }
  return scripts;
}
