import type { ExaminerScript, Line } from '../../../machines/examiner/index.ts';
import type { Part1Topic, TestPlan } from '../../domain/question-bank/index.ts';

const ask = (id: string, text: string): Line => ({ id, text, expectsAnswer: true });
const say = (id: string, text: string): Line => ({ id, text, expectsAnswer: false });

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const withoutStop = (s: string) => s.replace(/[.!?]+$/, '');

function topicLines(prefix: string, topic: Part1Topic, lead = ''): Line[] {
  const [first = '', ...rest] = topic.questions;
  return [
    ask(`${prefix}.${topic.id}.0`, `${lead}${topic.intro} ${first}`.trim()),
    ...rest.map((q, i) => ask(`${prefix}.${topic.id}.${i + 1}`, q)),
  ];
}

/**
 * The examiner's words for one test: the plan's questions inside the fixed frames an IELTS
 * examiner uses. The examiner keeps its own turns short and never comments on answers.
 */
export function buildScript(plan: TestPlan, examinerName = 'Alex Morgan'): ExaminerScript {
  const card = plan.cueCard;
  const frameTopic = { ...plan.frame, questions: plan.frame.questions.slice(0, 3) };
  const [theme1, theme2] = plan.part3;
  const part3: Line[] = [];
  if (theme1) {
    const [first = '', ...rest] = theme1.questions;
    part3.push(
      ask(
        'part3.0',
        `We've been talking about ${lowerFirst(withoutStop(card.title))}, and I'd like to discuss ` +
          `some more general questions related to this. First, ${lowerFirst(withoutStop(theme1.title))}. ${first}`,
      ),
      ...rest.map((q, i) => ask(`part3.0.${i + 1}`, q)),
    );
  }
  if (theme2) {
    const [first = '', ...rest] = theme2.questions;
    part3.push(
      ask('part3.1', `Now let's consider ${lowerFirst(withoutStop(theme2.title))}. ${first}`),
      ...rest.map((q, i) => ask(`part3.1.${i + 1}`, q)),
    );
  }
  return {
    intro: [
      ask(
        'intro.name',
        `Hello. My name is ${examinerName} and I will be your examiner today. ` +
          'Can you tell me your full name, please?',
      ),
      ask('intro.call', 'Thank you. And what shall I call you?'),
      ask('intro.from', 'And where are you from?'),
      say(
        'intro.id',
        'Thank you. Please hold your identification up to the camera. Thank you, that is fine.',
      ),
    ],
    part1: [
      ...topicLines(
        'part1',
        frameTopic,
        "Now, in this first part I'd like to ask you some questions about yourself. ",
      ),
      ...plan.part1Topics.flatMap((topic) => topicLines('part1', topic)),
    ],
    part2: {
      card: {
        id: card.id,
        title: card.title,
        prompt: card.prompt,
        bullets: [...card.bullets],
        explain: card.explain,
      },
      handOver: say(
        'part2.handOver',
        "Now I'm going to give you a topic, and I'd like you to talk about it for one to two " +
          "minutes. Before you talk, you'll have one minute to think about what you are going to " +
          `say. You can make some notes if you wish. Here is your topic. ${card.prompt}`,
      ),
      startTalking: say(
        'part2.start',
        "All right? Remember, you have one to two minutes for this, so don't worry if I stop " +
          "you. I'll tell you when the time is up. Can you start speaking now, please?",
      ),
      nudge: say('part2.nudge', 'Is there anything more you can tell me about it?'),
      stop: say('part2.stop', 'Thank you.'),
      roundingOff: card.roundingOff.map((q, i) => ask(`part2.round.${i}`, q)),
    },
    part3,
    closing: say('closing', 'Thank you. That is the end of the speaking test.'),
  };
}

/** Each line's most likely successor, in script order, for the engine to prepare early. */
export function likelyNextLines(script: ExaminerScript): Map<string, string> {
  const p2 = script.part2;
  const order = [
    ...script.intro,
    ...script.part1,
    p2.handOver,
    p2.startTalking,
    p2.stop,
    ...p2.roundingOff,
    ...script.part3,
    script.closing,
  ];
  return new Map(order.slice(0, -1).map((line, i) => [line.id, order[i + 1]?.text ?? '']));
}
