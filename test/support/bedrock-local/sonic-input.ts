/**
 * Validates Nova Sonic input events in order and turns them into what the scripted model needs.
 * The history-before-audio message is Bedrock's own; the others are written in its style.
 */

const VOICE_LIST = 'matthew tiffany amy olivia lupe carlos ambre florian tina lennart beatrice';
export const NOVA_2_VOICES = new Set(`${VOICE_LIST} lorenzo carolina leo arjun kiara`.split(' '));

export const ENDPOINTING_MS = { HIGH: 1500, MEDIUM: 1750, LOW: 2000 } as const;
export const HISTORY_BEFORE_AUDIO =
  'Chat history should be sent completely before streaming audio.';
export const MAX_HISTORY_INPUT_BYTES = 1024;
export const MAX_HISTORY_BYTES = 40_960;

export class SonicValidationError extends Error {
  override name = 'SonicValidationError';
}

export type InputAction =
  | { kind: 'none' }
  | { kind: 'session-start'; endpointingMs: number }
  | { kind: 'prompt-start'; promptName: string; voiceId: string }
  | { kind: 'user-text'; text: string }
  | { kind: 'audio'; pcm: Buffer }
  | { kind: 'session-end' };

type TextKind = 'system' | 'history' | 'interactive' | 'other';

interface TextBlock {
  name: string;
  role: string | undefined;
  interactive: boolean;
  first: boolean;
  kind: TextKind | undefined;
  text: string[];
}

type Body = Record<string, unknown>;

const NONE: InputAction = { kind: 'none' };

export class SonicInput {
  private sessionStarted = false;
  private sessionEnded = false;
  private promptName: string | undefined;
  private promptEnded = false;
  private contentCount = 0;
  private systemSeen = false;
  private historyMessages = 0;
  private historyBytes = 0;
  private audioStreamed = false;
  private readonly usedNames = new Set<string>();
  private text: TextBlock | undefined;
  private audio: string | undefined;
  private tool: string | undefined;

  /** Splits `{event: {name: body}}`; throws on anything else. */
  static parse(event: unknown): { name: string; body: Body } {
    const envelope = isObject(event) ? event.event : undefined;
    const names = isObject(envelope) ? Object.keys(envelope) : [];
    const name = names[0];
    const body = name !== undefined && isObject(envelope) ? envelope[name] : undefined;
    if (names.length !== 1 || name === undefined || !isObject(body)) {
      throw new SonicValidationError('Invalid input event: expected {"event": {"<name>": {...}}}.');
    }
    return { name, body };
  }

  get ended(): boolean {
    return this.sessionEnded;
  }

  accept(name: string, body: Body): InputAction {
    if (this.sessionEnded) return NONE;
    if (!this.sessionStarted && name !== 'sessionStart') {
      throw new SonicValidationError(`The first event must be sessionStart, not ${name}.`);
    }
    switch (name) {
      case 'sessionStart':
        return this.sessionStart(body);
      case 'promptStart':
        return this.promptStart(body);
      case 'contentStart':
        return this.contentStart(body);
      case 'textInput':
        return this.textInput(body);
      case 'audioInput':
        return this.audioInput(body);
      case 'toolResult':
        this.checkContent(body, this.tool, 'toolResult');
        return NONE;
      case 'contentEnd':
        return this.contentEnd(body);
      case 'promptEnd':
        this.checkPrompt(body);
        this.promptEnded = true;
        return NONE;
      case 'sessionEnd':
        this.sessionEnded = true;
        return { kind: 'session-end' };
      default:
        throw new SonicValidationError(`Unknown input event type: ${name}.`);
    }
  }

  private sessionStart(body: Body): InputAction {
    if (this.sessionStarted) throw new SonicValidationError('sessionStart was already received.');
    this.sessionStarted = true;
    const turn = body.turnDetectionConfiguration;
    const sensitivity = isObject(turn) ? (turn.endpointingSensitivity ?? 'LOW') : 'LOW';
    if (typeof sensitivity !== 'string' || !(sensitivity in ENDPOINTING_MS)) {
      throw new SonicValidationError(`Invalid endpointingSensitivity: ${String(sensitivity)}.`);
    }
    return {
      kind: 'session-start',
      endpointingMs: ENDPOINTING_MS[sensitivity as keyof typeof ENDPOINTING_MS],
    };
  }

  private promptStart(body: Body): InputAction {
    if (this.promptName !== undefined) {
      throw new SonicValidationError('Only one prompt per session is supported.');
    }
    const promptName = body.promptName;
    if (typeof promptName !== 'string' || promptName === '') {
      throw new SonicValidationError('promptStart requires a promptName.');
    }
    const audio = isObject(body.audioOutputConfiguration) ? body.audioOutputConfiguration : {};
    const voiceId = audio.voiceId ?? 'matthew';
    if (typeof voiceId !== 'string' || !NOVA_2_VOICES.has(voiceId)) {
      throw new SonicValidationError(`Invalid voiceId: ${String(voiceId)}.`);
    }
    const rate = audio.sampleRateHertz ?? 24_000;
    if (rate !== 24_000) {
      // Bedrock also offers 8 and 16 kHz; the fake only speaks 24 kHz, so it says so loudly.
      throw new SonicValidationError(`Unsupported audio output sampleRateHertz: ${String(rate)}.`);
    }
    this.promptName = promptName;
    return { kind: 'prompt-start', promptName, voiceId };
  }

  private contentStart(body: Body): InputAction {
    this.checkPrompt(body);
    const name = body.contentName;
    if (typeof name !== 'string' || name === '') {
      throw new SonicValidationError('contentStart requires a contentName.');
    }
    if (this.usedNames.has(name)) throw new SonicValidationError(`Duplicate contentName: ${name}.`);
    if (this.text || this.tool) {
      throw new SonicValidationError(
        `contentStart ${name} while content ${this.text?.name ?? this.tool} is still open.`,
      );
    }
    const first = this.contentCount === 0;
    this.usedNames.add(name);
    this.contentCount += 1;
    const role = typeof body.role === 'string' ? body.role : undefined;
    switch (body.type) {
      case 'TEXT': {
        const interactive = body.interactive === true;
        this.text = { name, role, interactive, first, kind: undefined, text: [] };
        if (role !== undefined) this.classify(this.text);
        return NONE;
      }
      case 'AUDIO': {
        if (this.audio) throw new SonicValidationError('An audio content is already open.');
        const config = isObject(body.audioInputConfiguration) ? body.audioInputConfiguration : {};
        if (config.sampleRateHertz !== 16_000) {
          throw new SonicValidationError(
            `Unsupported audio input sampleRateHertz: ${String(config.sampleRateHertz)}. Use 16000.`,
          );
        }
        this.audio = name;
        return NONE;
      }
      case 'TOOL':
        this.tool = name;
        return NONE;
      default:
        throw new SonicValidationError(`Invalid content type: ${String(body.type)}.`);
    }
  }

  private classify(block: TextBlock): void {
    const role = block.role;
    if (role === 'SYSTEM') {
      if (!block.first || this.systemSeen) {
        throw new SonicValidationError(
          'The SYSTEM prompt must be the first content of the prompt.',
        );
      }
      block.kind = 'system';
    } else if (role === 'SYSTEM_SPEECH') {
      block.kind = 'other';
    } else if (role === 'USER' && block.interactive) {
      block.kind = 'interactive';
    } else if (role === 'USER' || role === 'ASSISTANT') {
      if (this.audioStreamed) throw new SonicValidationError(HISTORY_BEFORE_AUDIO);
      if (!this.systemSeen) {
        throw new SonicValidationError('Chat history must come after the SYSTEM prompt.');
      }
      if (this.historyMessages === 0 && role !== 'USER') {
        throw new SonicValidationError('The first chat history message must have role USER.');
      }
      block.kind = 'history';
    } else {
      throw new SonicValidationError(`Invalid role for TEXT content: ${String(role)}.`);
    }
  }

  private textInput(body: Body): InputAction {
    const block = this.text;
    this.checkContent(body, block?.name, 'textInput');
    if (!block) return NONE;
    const content = body.content;
    if (typeof content !== 'string') throw new SonicValidationError('textInput requires content.');
    if (block.kind === undefined) {
      // Some AWS samples put the history role on textInput instead of contentStart.
      block.role = typeof body.role === 'string' ? body.role : undefined;
      this.classify(block);
    }
    if (block.kind === 'history') {
      const bytes = Buffer.byteLength(content);
      if (bytes > MAX_HISTORY_INPUT_BYTES) {
        throw new SonicValidationError(
          `Chat history textInput of ${bytes} bytes exceeds the limit of ${MAX_HISTORY_INPUT_BYTES} bytes.`,
        );
      }
      this.historyBytes += bytes;
      if (this.historyBytes > MAX_HISTORY_BYTES) {
        throw new SonicValidationError(
          `Chat history exceeds the limit of ${MAX_HISTORY_BYTES} bytes in total.`,
        );
      }
    }
    block.text.push(content);
    return NONE;
  }

  private audioInput(body: Body): InputAction {
    if (this.text) throw new SonicValidationError(HISTORY_BEFORE_AUDIO);
    this.checkContent(body, this.audio, 'audioInput');
    if (typeof body.content !== 'string') {
      throw new SonicValidationError('audioInput requires content.');
    }
    this.audioStreamed = true;
    return { kind: 'audio', pcm: Buffer.from(body.content, 'base64') };
  }

  private contentEnd(body: Body): InputAction {
    this.checkPrompt(body);
    const name = body.contentName;
    const block = this.text;
    if (block && name === block.name) {
      this.text = undefined;
      if (block.kind === 'system') this.systemSeen = true;
      if (block.kind === 'history') this.historyMessages += 1;
      if (block.kind === 'interactive') return { kind: 'user-text', text: block.text.join('') };
      return NONE;
    }
    if (name !== undefined && name === this.audio) this.audio = undefined;
    else if (name !== undefined && name === this.tool) this.tool = undefined;
    else throw new SonicValidationError(`contentEnd for unknown contentName: ${String(name)}.`);
    return NONE;
  }

  private checkPrompt(body: Body): void {
    if (this.promptName === undefined) throw new SonicValidationError('promptStart is required.');
    if (body.promptName !== this.promptName) {
      throw new SonicValidationError(`Unknown promptName: ${String(body.promptName)}.`);
    }
    if (this.promptEnded) throw new SonicValidationError('The prompt has already ended.');
  }

  private checkContent(body: Body, open: string | undefined, event: string): void {
    this.checkPrompt(body);
    if (open === undefined || body.contentName !== open) {
      throw new SonicValidationError(
        `${event} for a contentName that is not open: ${String(body.contentName)}.`,
      );
    }
  }
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
