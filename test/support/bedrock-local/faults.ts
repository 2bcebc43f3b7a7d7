import type { ResponseChannel } from './response-channel.ts';
import type { ExceptionType, Fault, HttpFault, StreamFault } from './types.ts';

/** Messages used when a fault gives none; the model timeout one is Bedrock's own. */
export const EXCEPTION_MESSAGES: Record<ExceptionType, string> = {
  modelStreamErrorException: 'The model stream encountered an error. Try your request again.',
  throttlingException: 'Too many requests, please wait before trying again.',
  validationException: 'Invalid input request.',
  internalServerException: 'The server encountered an internal error. Try your request again.',
  modelTimeoutException: 'Model has timed out in processing the request. Try your request again.',
  serviceUnavailableException: 'The service is unavailable. Try your request again.',
};

export const HTTP_FAULT_MESSAGE = 'Injected HTTP fault.';

export interface FaultTarget {
  readonly channel: ResponseChannel;
  /** Stops the scripted model and records the fault as what closed the stream. */
  stopForFault(description: string): void;
}

/** Faults waiting for the next request or stream, in the order they were injected. */
export class FaultBook {
  private readonly http: HttpFault[] = [];
  private stream: StreamFault[] = [];

  queue(fault: Fault): void {
    if (fault.kind === 'http') this.http.push(fault);
    else this.stream.push(fault);
  }

  takeHttp(): HttpFault | undefined {
    return this.http.shift();
  }

  takeStreamFaults(): StreamFault[] {
    const faults = this.stream;
    this.stream = [];
    return faults;
  }
}

/**
 * Arms a fault on one stream. An injectNext fault without a positive `afterMs` waits for the first
 * output event, because before it the SDK's `send()` has not resolved and the fault would surface
 * there instead of in the response iterator. Returns a disarm function.
 */
export function armFault(
  fault: StreamFault,
  target: FaultTarget,
  mode: 'next' | 'live',
): () => void {
  const afterMs = fault.afterMs ?? 0;
  let disarmed = false;
  const fire = () => {
    if (!disarmed) applyFault(fault, target);
  };
  if (mode === 'next' && afterMs <= 0) {
    target.channel.onFirstOutput(fire);
    return () => {
      disarmed = true;
    };
  }
  const timer = setTimeout(fire, Math.max(0, afterMs));
  return () => {
    disarmed = true;
    clearTimeout(timer);
  };
}

export function applyFault(fault: StreamFault, target: FaultTarget): void {
  const { channel } = target;
  switch (fault.kind) {
    case 'exception': {
      const message = fault.message ?? EXCEPTION_MESSAGES[fault.type];
      channel.exception(fault.type, message);
      channel.end();
      target.stopForFault(`${fault.type}: ${message}`);
      return;
    }
    case 'error-frame':
      channel.error(fault.code, fault.message);
      channel.end();
      target.stopForFault(`${fault.code}: ${fault.message}`);
      return;
    case 'rst':
      channel.reset();
      target.stopForFault('RST_STREAM INTERNAL_ERROR');
      return;
    case 'stall':
      channel.stall();
      target.stopForFault('stalled');
      return;
  }
}
