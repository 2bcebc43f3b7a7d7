import WebSocket from 'ws';
import { synthesise } from '../../src/adapters/speech-local/espeak-voice.ts';
import { type AnswerPart, scriptedAnswers } from './answers.ts';

const BYTES_PER_MS = 32; // PCM16 mono at 16 kHz
const MAX_FRAME_BYTES = 32 * 1024;
const TICK_MS = 10;

export interface DemoReport {
  states: Array<{ state: string; at: number }>;
  examinerTurns: number;
  candidateTurns: number;
  durationsMs: Record<string, number>;
  assessmentId: string | null;
  result: { overall: number | null; criteria: unknown } | null;
  transcripts: { final: number; unavailable: number };
  examinerAudioBytes: number;
  errors: Array<{ code: string; message: string }>;
  wallMs: number;
}

type Message = { type: string; [key: string]: unknown };

export interface Answer {
  pcm: Buffer;
  text: string;
}

/** Synthesises every scripted answer once, at 16 kHz, in a voice unlike the examiner's. */
export async function prepareAnswers(): Promise<Record<AnswerPart, Answer[]>> {
  const silence = (ms: number) => Buffer.alloc(ms * BYTES_PER_MS);
  const voice = async (text: string): Promise<Answer> => ({
    pcm: await synthesise(text, { sampleRate: 16_000, voice: 'en-us' }),
    text,
  });
  const out = {} as Record<AnswerPart, Answer[]>;
  for (const part of Object.keys(scriptedAnswers) as AnswerPart[]) {
    out[part] = await Promise.all(scriptedAnswers[part].map(voice));
  }
  // The long turn is one answer: sentences joined by short thinking pauses under the turn end.
  const longTurn: Answer = {
    pcm: Buffer.concat(out.part2.flatMap((a) => [a.pcm, silence(900)])),
    text: out.part2.map((a) => a.text).join(' '),
  };
  out.part2 = [longTurn, ...out.part2More];
  return out;
}

/**
 * A candidate with a microphone that never stops: silence, or a scripted answer once the
 * examiner says it is listening. Audio goes out `fast` times faster than real time.
 */
export function runCandidate(options: {
  baseUrl: string;
  fast: number;
  answers: Record<AnswerPart, Answer[]>;
  progress?: (line: string) => void;
  /** Told the text of each answer as the candidate starts it (a scripted recogniser uses it). */
  onAnswer?: (text: string) => void;
}): Promise<DemoReport> {
  const { fast, answers, progress } = options;
  const wallStart = Date.now();
  const report: DemoReport = {
    states: [],
    examinerTurns: 0,
    candidateTurns: 0,
    durationsMs: {},
    assessmentId: null,
    result: null,
    transcripts: { final: 0, unavailable: 0 },
    examinerAudioBytes: 0,
    errors: [],
    wallMs: 0,
  };
  const used: Record<AnswerPart, number> = {
    intro: 0,
    part1: 0,
    part2: 0,
    part2More: 0,
    roundingOff: 0,
    part3: 0,
  };
  let state = 'none';
  let speech: Buffer | null = null;
  let speechOffset = 0;
  let answerAt: number | null = null;
  let sentBytes = 0;
  let firstStateAt: number | null = null;

  const nextAnswer = (): Buffer => {
    const part: AnswerPart =
      state === 'part2.roundingOff' ? 'roundingOff' : (state.split('.')[0] as AnswerPart);
    const list = answers[part] ?? answers.part3;
    const answer = list[used[part] % list.length] as Answer;
    used[part] += 1;
    options.onAnswer?.(answer.text);
    return answer.pcm;
  };

  return (async () => {
    const created = await fetch(`${options.baseUrl}/v1/speaking/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (created.status !== 201) throw new Error(`session not created: HTTP ${created.status}`);
    const { streamPath } = (await created.json()) as { streamPath: string };
    const socket = new WebSocket(`${options.baseUrl.replace(/^http/, 'ws')}${streamPath}`);

    return await new Promise<DemoReport>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const wallAudioStart = { at: 0 };
      const pump = () => {
        // Send exactly the audio that `fast`-times real time says is due, silence or speech.
        const due = Math.floor(((Date.now() - wallAudioStart.at) * fast * BYTES_PER_MS) / 2) * 2;
        while (sentBytes < due && socket.readyState === socket.OPEN) {
          const size = Math.min(MAX_FRAME_BYTES, due - sentBytes);
          const frame = Buffer.alloc(size);
          if (answerAt !== null && sentBytes + size > answerAt && !speech) {
            speech = nextAnswer();
            speechOffset = 0;
            answerAt = null;
          }
          if (speech) {
            const n = speech.copy(frame, 0, speechOffset, speechOffset + size);
            speechOffset += n;
            if (speechOffset >= speech.length) speech = null;
          }
          socket.send(frame, { binary: true });
          sentBytes += size;
        }
      };

      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          report.examinerAudioBytes += (data as Buffer).length;
          return;
        }
        const message = JSON.parse(data.toString()) as Message;
        switch (message.type) {
          case 'ready':
            socket.send(JSON.stringify({ type: 'start' }));
            wallAudioStart.at = Date.now();
            timer = setInterval(pump, TICK_MS);
            break;
          case 'state': {
            const at = message.at as number;
            firstStateAt ??= at;
            const name = message.state as string;
            if (name !== state) {
              report.states.push({ state: name, at: at - firstStateAt });
              if (name.split('.')[0] !== state.split('.')[0]) {
                progress?.(`${formatClock(at - firstStateAt)} ${name}`);
              }
              state = name;
            }
            break;
          }
          case 'listening':
            if (message.on) {
              // Answer after a short, natural gap, counted in audio time.
              answerAt = sentBytes + 600 * BYTES_PER_MS;
            } else {
              speech = null;
              answerAt = null;
            }
            break;
          case 'caption':
            report.examinerTurns += 1;
            break;
          case 'turn':
            if (message.event === 'stopped') report.candidateTurns += 1;
            break;
          case 'transcript':
            if (message.status === 'final') report.transcripts.final += 1;
            else report.transcripts.unavailable += 1;
            break;
          case 'result': {
            const result = message.result as { overall: number | null; criteria: unknown };
            report.result = { overall: result.overall, criteria: result.criteria };
            report.assessmentId = message.assessmentId as string;
            break;
          }
          case 'error':
            report.errors.push({
              code: message.code as string,
              message: message.message as string,
            });
            break;
        }
      });
      socket.on('close', () => {
        if (timer) clearInterval(timer);
        report.wallMs = Date.now() - wallStart;
        report.durationsMs = partDurations(report.states);
        if (report.result) resolve(report);
        else reject(new Error(`the test ended without a result: ${JSON.stringify(report.errors)}`));
      });
      socket.on('error', reject);
    });
  })();
}

function partDurations(states: Array<{ state: string; at: number }>): Record<string, number> {
  const starts: Array<[string, number]> = [];
  for (const { state, at } of states) {
    const part = state.split('.')[0] as string;
    if (starts.at(-1)?.[0] !== part) starts.push([part, at]);
  }
  const out: Record<string, number> = {};
  starts.forEach(([part, at], i) => {
    const next = starts[i + 1];
    if (next && ['intro', 'part1', 'part2', 'part3'].includes(part)) out[part] = next[1] - at;
  });
  return out;
}

function formatClock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
