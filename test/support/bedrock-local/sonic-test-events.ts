/** Nova Sonic input events as the docs give them, for tests that drive the SDK by hand. */

const P = 'prompt-1';
export const PROMPT_NAME = P;
export const ev = {
  sessionStart: (endpointingSensitivity = 'HIGH') => ({
    event: {
      sessionStart: {
        inferenceConfiguration: { maxTokens: 1024, topP: 0.9, temperature: 0.7 },
        turnDetectionConfiguration: { endpointingSensitivity },
      },
    },
  }),
  promptStart: (voiceId = 'amy') => ({
    event: {
      promptStart: {
        promptName: P,
        textOutputConfiguration: { mediaType: 'text/plain' },
        audioOutputConfiguration: {
          mediaType: 'audio/lpcm',
          sampleRateHertz: 24_000,
          sampleSizeBits: 16,
          channelCount: 1,
          voiceId,
          encoding: 'base64',
          audioType: 'SPEECH',
        },
      },
    },
  }),
  text: (name: string, role: string, interactive: boolean, ...contents: string[]) => [
    {
      event: {
        contentStart: {
          promptName: P,
          contentName: name,
          type: 'TEXT',
          interactive,
          role,
          textInputConfiguration: { mediaType: 'text/plain' },
        },
      },
    },
    ...contents.map((content) => ({
      event: { textInput: { promptName: P, contentName: name, content } },
    })),
    { event: { contentEnd: { promptName: P, contentName: name } } },
  ],
  audioStart: () => ({
    event: {
      contentStart: {
        promptName: P,
        contentName: 'audio',
        type: 'AUDIO',
        interactive: true,
        role: 'USER',
        audioInputConfiguration: {
          mediaType: 'audio/lpcm',
          sampleRateHertz: 16_000,
          sampleSizeBits: 16,
          channelCount: 1,
          audioType: 'SPEECH',
          encoding: 'base64',
        },
      },
    },
  }),
  audio: (pcm: Buffer) => {
    const frames = [];
    for (let at = 0; at < pcm.length; at += 1024) {
      const content = pcm.subarray(at, at + 1024).toString('base64');
      frames.push({ event: { audioInput: { promptName: P, contentName: 'audio', content } } });
    }
    return frames;
  },
  close: () => [
    { event: { contentEnd: { promptName: P, contentName: 'audio' } } },
    { event: { promptEnd: { promptName: P } } },
    { event: { sessionEnd: {} } },
  ],
};
export const opening = () => [
  ev.sessionStart(),
  ev.promptStart(),
  ...ev.text('sys', 'SYSTEM', false, 'Be an examiner.'),
];
/** PCM16 16 kHz silence. */
export const silence = (ms: number) => Buffer.alloc(ms * 32);

/** True once an ASSISTANT FINAL text block has ended, i.e. a whole reply was spoken. */
export function repliedInFull(lines: string[]): boolean {
  const final = lines.lastIndexOf('contentStart TEXT ASSISTANT FINAL');
  return final >= 0 && lines.slice(final).includes('contentEnd TEXT END_TURN');
}
