import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createExaminerMetrics } from '../../src/examiner/metrics.ts';
import { createSpeechEngine, EngineConfigError } from '../../src/examiner/speech-engines.ts';
import { silentLogger } from '../../src/log.ts';

const saved = { ...process.env };

describe('Bedrock settings are checked at start-up', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    [
      'NOVA_SONIC_VOICE',
      'bob',
      /NOVA_SONIC_VOICE must be equal to one of the allowed values: matthew/,
    ],
    ['NOVA_SONIC_MODEL_ID', 'gpt-4', /NOVA_SONIC_MODEL_ID must match pattern/],
    ['NOVA_SONIC_REGION', 'mars', /NOVA_SONIC_REGION must match pattern/],
    ['NOVA_SONIC_ENDPOINT', 'ftp://x', /NOVA_SONIC_ENDPOINT must match pattern/],
    [
      'SPEECH_ENGINE',
      'sonic',
      /SPEECH_ENGINE must be equal to one of the allowed values: offline, nova-sonic/,
    ],
  ])('refuses %s=%s with a message naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('refuses to start Nova Sonic without credentials, naming the region', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    // Keep the credential chain on this machine: no instance-metadata lookups from a test.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
    process.env.AWS_CONFIG_FILE = '/dev/null';
    const config = loadConfig({ SPEECH_ENGINE: 'nova-sonic', NOVA_SONIC_REGION: 'eu-west-1' });
    const attempt = createSpeechEngine(config, silentLogger, createExaminerMetrics());
    await expect(attempt).rejects.toThrow(EngineConfigError);
    await expect(createSpeechEngine(config, silentLogger, createExaminerMetrics())).rejects.toThrow(
      /needs AWS credentials for Bedrock in eu-west-1/,
    );
  });
});
