/**
 * Runs the local Bedrock server by hand or from benchmarks:
 *   npm run bedrock:local -- --port 8787 [--max-stream-ms N] [--audio-pacing N] [--stamp-audio]
 */
import { parseArgs } from 'node:util';

// espeak-ng's virtual filesystem throws internally; source-mapped stack traces make each throw
// expensive, and this process is about wire speed, not debugging.
process.setSourceMapsEnabled(false);

import { startLocalBedrock } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'max-stream-ms': { type: 'string' },
    'audio-pacing': { type: 'string' },
    'stamp-audio': { type: 'boolean', default: false },
  },
});

function numberArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    console.error(`--${name} must be a non-negative number, got ${value}`);
    process.exit(2);
  }
  return parsed;
}

const bedrock = await startLocalBedrock({
  port: numberArg('port', values.port),
  maxStreamMs: numberArg('max-stream-ms', values['max-stream-ms']),
  audioPacing: numberArg('audio-pacing', values['audio-pacing']),
  stampAudio: values['stamp-audio'],
});

console.log(`Local Bedrock listening on ${bedrock.endpoint}`);
console.log(`  region:                ${bedrock.region}`);
console.log(`  AWS_ACCESS_KEY_ID:     ${bedrock.credentials.accessKeyId}`);
console.log(`  AWS_SECRET_ACCESS_KEY: ${bedrock.credentials.secretAccessKey}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void bedrock.close().then(() => process.exit(0));
  });
}
