import type { Part1Topic } from './types.ts';

/**
 * Identity frames open every test. They are kept apart from the Part 1 topics because the examiner
 * always asks one of them first, before any topic is chosen.
 */
export const frames: Part1Topic[] = [
  {
    id: 'frame-work-study',
    title: 'Work or study',
    family: 'identity',
    intro: "Let's talk about what you do. Do you work or are you a student?",
    questions: [
      'What do you do, and how long have you been doing it?',
      'What do you enjoy most about your work or studies?',
      'Is there anything you find difficult about it?',
      'What would you like to be doing in five years?',
    ],
  },
  {
    id: 'frame-hometown',
    title: 'Hometown',
    family: 'identity',
    intro: "Let's talk about your hometown.",
    questions: [
      'Where is your hometown, and what is it like?',
      'What do people usually do there at the weekend?',
      'How has your hometown changed since you were a child?',
      'Would you like to live there in the future?',
    ],
  },
  {
    id: 'frame-home',
    title: 'Home and accommodation',
    family: 'identity',
    intro: "Let's talk about where you live.",
    questions: [
      'Do you live in a house or a flat?',
      'Which room do you spend the most time in, and why?',
      'What would you change about the place where you live?',
      'Do you think you will stay there for a long time?',
    ],
  },
  {
    id: 'frame-neighbourhood',
    title: 'Your neighbourhood',
    family: 'identity',
    intro: "Let's talk about the area where you live.",
    questions: [
      'What kind of area do you live in?',
      'Are there good places nearby to relax or meet people?',
      'Do you know many of your neighbours?',
      'What would make your neighbourhood a better place to live?',
    ],
  },
];
