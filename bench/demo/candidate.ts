import WebSocket from 'ws';
import { synthesise } from '../../src/adapters/speech-local/espeak-voice.ts';
import { type AnswerPart, scriptedAnswers } from './answers.ts';
import { BYTES_PER_MS, Microphone } from './microphone.ts';
import {
  type FailoverReport,
  FINAL_CLOSE_CODES,
  newOutage,
  type Outage,
  RETRY_MS,
  type ResumeRecord,
  reissueTicket,
  resumed,
  streamUrl,
} from './resume.ts';
import { formatClock, partDurations } from './timeline.ts';

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

/** The report of a candidate run with `reconnect`: the failover fields are there too. */
export type CandidateReport = DemoReport & Partial<FailoverReport>;

export interface CandidateOptions {
  baseUrl: string;
  fast: number;
  answers: Record<AnswerPart, Answer[]>;
  progress?: (line: string) => void;
  /** Told the text of each answer as the candidate starts it (a scripted recogniser uses it). */
  onAnswer?: (text: string) => void;
  /** Told each new state as the client learns it (a test may pull the plug there). */
  onState?: (state: string) => void;
  /**
   * Come back after a drop (any close before `result`): the next of `urls`, in turn, with the
   * latest resume ticket, every 100 ms for up to 15 s. Without it a drop ends the run.
   */
  reconnect?: { urls: string[] };
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
export function runCandidate(options: CandidateOptions): Promise<CandidateReport> {
  const { fast, answers, progress, reconnect } = options;
  const wallStart = Date.now();
  const report: CandidateReport = {
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
  const mic = new Microphone(fast, nextAnswer);

  return (async () => {
    const created = await fetch(`${options.baseUrl}/v1/speaking/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (created.status !== 201) throw new Error(`session not created: HTTP ${created.status}`);
    const first = (await created.json()) as {
      sessionId: string;
      ticket: string;
      streamPath: string;
    };
    const failover: FailoverReport = {
      sessionId: first.sessionId,
      reconnects: 0,
      resumeMs: [],
      resumes: [],
      turnsBefore: [],
      turnsAfter: [],
      statesAfter: [],
    };
    const urls = reconnect?.urls.length ? reconnect.urls : [options.baseUrl];
    let urlIndex = Math.max(0, urls.indexOf(options.baseUrl));
    let ticket = first.ticket;
    let outage: Outage | null = null;
    let resume: ResumeRecord | null = null;
    let socket: WebSocket;
    let giveUp: NodeJS.Timeout | null = null;

    return await new Promise<CandidateReport>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        mic.stop();
        if (giveUp) clearTimeout(giveUp);
        report.wallMs = Date.now() - wallStart;
        report.durationsMs = partDurations(report.states);
        if (reconnect) Object.assign(report, failover);
        if (error) reject(error);
        else if (report.result) resolve(report);
        else reject(new Error(`the test ended without a result: ${JSON.stringify(report.errors)}`));
      };

      const connect = (url: string) => {
        const next = new WebSocket(url);
        socket = next;
        next.on('open', () => {
          // The last open is the socket that may yet be admitted; earlier ones were refused.
          if (outage && socket === next) outage.openAt = Date.now();
        });
        next.on('message', (data, isBinary) => {
          if (socket === next) onMessage(next, data as Buffer, isBinary);
        });
        next.on('close', (code) => {
          if (socket === next) onClose(code);
        });
        // With reconnect, a failed socket is just a close to come back from.
        next.on('error', (error) => {
          if (!reconnect) finish(error);
        });
      };

      const onClose = (code: number) => {
        mic.stop();
        if (report.result || !reconnect) return finish();
        const now = Date.now();
        if (!outage) {
          outage = newOutage(code, now);
          const current = outage;
          // An attempt that hangs (a node that never answers) must not outlast the window.
          giveUp = setTimeout(() => {
            if (outage !== current) return;
            finish(new Error(`no node took the test back in 15 s: ${current.refused}`));
            socket.terminate();
          }, current.giveUpAt - now);
        }
        if (FINAL_CLOSE_CODES.has(code)) return finish(new Error(`resume refused: close ${code}`));
        if (now >= outage.giveUpAt) {
          return finish(new Error(`no node took the test back in 15 s: ${outage.refused}`));
        }
        const delay = outage.attempts === 0 ? 0 : RETRY_MS;
        outage.attempts += 1;
        setTimeout(async () => {
          urlIndex = (urlIndex + 1) % urls.length;
          const url = urls[urlIndex] as string;
          // 4401: the ticket went to a socket that dropped before its `ready` reached us.
          if (code === 4401) ticket = (await reissueTicket(url, first.sessionId)) ?? ticket;
          if (!settled) connect(streamUrl(url, first.sessionId, ticket));
        }, delay);
      };

      const onMessage = (current: WebSocket, data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          report.examinerAudioBytes += data.length;
          if (resume && resume.audioAt === null) {
            resume.audioAt = Date.now();
            resume.audioMs = resume.audioAt - resume.closedAt;
            failover.resumeMs.push(resume.audioMs);
          }
          return;
        }
        const message = JSON.parse(data.toString()) as Message;
        if (outage && message.type === 'error') {
          outage.refused.push(message.code as string);
          return;
        }
        switch (message.type) {
          case 'ready':
            ticket = message.resumeTicket as string;
            if (outage) {
              resume = resumed(outage, urls[urlIndex] as string, Date.now());
              failover.resumes.push(resume);
              failover.reconnects += 1;
              if (giveUp) clearTimeout(giveUp);
              outage = null;
            }
            // A resumed test carries on by itself: a second start would be refused.
            if (!message.resumed) current.send(JSON.stringify({ type: 'start' }));
            mic.start(current);
            break;
          case 'state': {
            const at = message.at as number;
            firstStateAt ??= at;
            const name = message.state as string;
            if (resume && resume.stateMs === null) resume.stateMs = Date.now() - resume.closedAt;
            if (failover.reconnects > 0 && failover.statesAfter.at(-1) !== name) {
              failover.statesAfter.push(name);
            }
            if (name !== state) {
              report.states.push({ state: name, at: at - firstStateAt });
              if (name.split('.')[0] !== state.split('.')[0]) {
                progress?.(`${formatClock(at - firstStateAt)} ${name}`);
              }
              state = name;
              options.onState?.(name);
            }
            break;
          }
          case 'listening':
            mic.listening(message.on === true);
            break;
          case 'caption':
            report.examinerTurns += 1;
            break;
          case 'turn':
            if (message.event === 'stopped') {
              report.candidateTurns += 1;
              const turns = failover.reconnects > 0 ? failover.turnsAfter : failover.turnsBefore;
              turns.push(message.turnId as number);
            }
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
      };

      connect(`${options.baseUrl.replace(/^http/, 'ws')}${first.streamPath}`);
    });
  })();
}
