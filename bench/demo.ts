import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/examiner/main.ts';
import { createLogger } from '../src/log.ts';
import { startLocalBedrock } from '../test/support/bedrock-local/server.ts';
import { prepareAnswers, runCandidate } from './demo/candidate.ts';

/**
 * `npm run demo -- [--fast N] [--json] [--engine offline|bedrock-local]`: starts the whole product on a free port and sits one
 * speaking test with a headless candidate who answers in synthesised speech.
 */
const { values } = parseArgs({
  options: {
    fast: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string' },
    engine: { type: 'string', default: 'offline' },
  },
});
const fast = Number(values.fast);
if (!(fast > 0 && fast <= 200)) {
  console.error('--fast must be a number between 0 and 200');
  process.exit(2);
}
if (values.engine !== 'offline' && values.engine !== 'bedrock-local') {
  console.error('--engine must be offline or bedrock-local');
  process.exit(2);
}
const say = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

// With bedrock-local the examiner speaks through NovaSonicEngine and the real Bedrock SDK, to a
// local server that speaks Bedrock's wire protocol; the candidate's own words are its transcripts.
const spoken: string[] = [];
const bedrock =
  values.engine === 'bedrock-local'
    ? await startLocalBedrock({
        audioPacing: Math.max(4, fast),
        transcript: () => spoken.shift() ?? '',
      })
    : null;
if (bedrock) {
  process.env.AWS_ACCESS_KEY_ID = bedrock.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = bedrock.credentials.secretAccessKey;
}
const config = loadConfig({
  ...process.env,
  ...(bedrock
    ? {
        SPEECH_ENGINE: 'nova-sonic',
        NOVA_SONIC_ENDPOINT: bedrock.endpoint,
        NOVA_SONIC_REGION: bedrock.region,
      }
    : {}),
  PORT: '0',
  TIME_SCALE: String(fast),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  ...(values.seed ? { QUESTION_SEED: values.seed } : {}),
});
const logger = createLogger({ level: config.LOG_LEVEL, nodeId: config.NODE_ID });
say(`preparing the candidate's answers…`);
const answers = await prepareAnswers();
const server = await startServer(config, logger);
say(`examiner at ${server.url}, clocks ${fast}× real time`);
try {
  const report = await runCandidate({
    baseUrl: server.url,
    fast,
    answers,
    progress: say,
    onAnswer: (text) => spoken.push(text),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ fast, engine: values.engine, ...report })}\n`);
  } else {
    say(
      `done in ${(report.wallMs / 1000).toFixed(1)} s: ${report.examinerTurns} examiner turns, ` +
        `${report.candidateTurns} candidate turns, estimated band ${report.result?.overall ?? 'n/a'}`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await server.close();
  await bedrock?.close();
}
