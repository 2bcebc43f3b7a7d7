/**
 * Nova Sonic input events, shaped as the Bedrock documentation gives them. Pure builders: the
 * stream decides when each is sent.
 */
export type Role = 'SYSTEM' | 'USER' | 'ASSISTANT';

export interface SessionSettings {
  voiceId: string;
  maxTokens: number;
  topP: number;
  temperature: number;
  endpointingSensitivity: 'HIGH' | 'MEDIUM' | 'LOW';
}

type Event = { event: Record<string, unknown> };

export const sessionStart = (s: SessionSettings): Event => ({
  event: {
    sessionStart: {
      inferenceConfiguration: { maxTokens: s.maxTokens, topP: s.topP, temperature: s.temperature },
      turnDetectionConfiguration: { endpointingSensitivity: s.endpointingSensitivity },
    },
  },
});

export const promptStart = (promptName: string, s: SessionSettings): Event => ({
  event: {
    promptStart: {
      promptName,
      textOutputConfiguration: { mediaType: 'text/plain' },
      audioOutputConfiguration: {
        mediaType: 'audio/lpcm',
        sampleRateHertz: 24_000,
        sampleSizeBits: 16,
        channelCount: 1,
        voiceId: s.voiceId,
        encoding: 'base64',
        audioType: 'SPEECH',
      },
    },
  },
});

export const textContentStart = (
  promptName: string,
  contentName: string,
  role: Role,
  interactive: boolean,
): Event => ({
  event: {
    contentStart: {
      promptName,
      contentName,
      type: 'TEXT',
      interactive,
      role,
      textInputConfiguration: { mediaType: 'text/plain' },
    },
  },
});

export const audioContentStart = (promptName: string, contentName: string): Event => ({
  event: {
    contentStart: {
      promptName,
      contentName,
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
});

export const textInput = (promptName: string, contentName: string, content: string): Event => ({
  event: { textInput: { promptName, contentName, content } },
});

export const audioInput = (promptName: string, contentName: string, pcm: Buffer): Event => ({
  event: { audioInput: { promptName, contentName, content: pcm.toString('base64') } },
});

export const contentEnd = (promptName: string, contentName: string): Event => ({
  event: { contentEnd: { promptName, contentName } },
});

export const promptEnd = (promptName: string): Event => ({ event: { promptEnd: { promptName } } });

export const sessionEnd = (): Event => ({ event: { sessionEnd: {} } });
