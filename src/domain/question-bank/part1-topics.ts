import type { Part1Topic } from './types.ts';

/**
 * Familiar everyday topics for Part 1. Families are deliberately fine-grained (one per topic) so
 * the selector can always find two topics that avoid the cue card's area.
 */
export const part1Topics: Part1Topic[] = [
  {
    id: 'p1-music',
    title: 'Music',
    family: 'music',
    intro: "Let's talk about music.",
    questions: [
      'What kind of music do you usually listen to?',
      'When do you listen to music most during the day?',
      'Did you learn to play an instrument when you were younger?',
      'Has your taste in music changed over the years?',
    ],
  },
  {
    id: 'p1-weather',
    title: 'Weather',
    family: 'weather',
    intro: "Let's talk about the weather.",
    questions: [
      'What is the weather usually like where you live?',
      'Which season do you like best, and why?',
      'Does the weather ever change your plans for the day?',
    ],
  },
  {
    id: 'p1-food',
    title: 'Food and cooking',
    family: 'food',
    intro: "Let's talk about food.",
    questions: [
      'What is your favourite thing to eat?',
      'Do you enjoy cooking, or do you prefer it when someone else cooks?',
      'Is there any food you disliked as a child but enjoy now?',
      'How often do you eat out with friends or family?',
    ],
  },
  {
    id: 'p1-transport',
    title: 'Getting around',
    family: 'transport',
    intro: "Let's talk about how you get around.",
    questions: [
      'How do you usually travel to work or to your place of study?',
      'Do you prefer public transport or travelling by car?',
      'What would make public transport better where you live?',
    ],
  },
  {
    id: 'p1-reading',
    title: 'Reading',
    family: 'reading',
    intro: "Let's talk about reading.",
    questions: [
      'Do you read much in your free time?',
      'Do you prefer reading on paper or on a screen?',
      'What did you like to read when you were a child?',
      'Is there a book you have read more than once?',
    ],
  },
  {
    id: 'p1-sport',
    title: 'Sport and exercise',
    family: 'sport',
    intro: "Let's talk about sport.",
    questions: [
      'Do you play any sports or do any kind of exercise?',
      'Which sports are popular where you live?',
      'Do you prefer watching sport or taking part?',
    ],
  },
  {
    id: 'p1-shopping',
    title: 'Shopping',
    family: 'shopping',
    intro: "Let's talk about shopping.",
    questions: [
      'Do you enjoy going shopping?',
      'Do you buy more things online or in shops?',
      'Is there anything you always spend a long time choosing?',
      'Who did you go shopping with when you were a child?',
    ],
  },
  {
    id: 'p1-friends',
    title: 'Friends',
    family: 'friends',
    intro: "Let's talk about friends.",
    questions: [
      'Do you have a large group of friends or a few close ones?',
      'What do you usually do when you meet your friends?',
      'Are you still in touch with friends from school?',
    ],
  },
  {
    id: 'p1-phones',
    title: 'Mobile phones',
    family: 'technology',
    intro: "Let's talk about mobile phones.",
    questions: [
      'What do you use your phone for most?',
      'Could you manage for a whole day without your phone?',
      'Do you remember your first mobile phone?',
      'Are there times when you switch your phone off on purpose?',
    ],
  },
  {
    id: 'p1-holidays',
    title: 'Holidays',
    family: 'travel',
    intro: "Let's talk about holidays.",
    questions: [
      'Where do you like to go on holiday?',
      'Do you prefer relaxing holidays or busy ones?',
      'Who do you usually go on holiday with?',
    ],
  },
  {
    id: 'p1-photos',
    title: 'Photographs',
    family: 'photography',
    intro: "Let's talk about taking photos.",
    questions: [
      'Do you take a lot of photos?',
      'What do you like to take photos of?',
      'Do you ever print your photos or keep them only on your phone?',
    ],
  },
  {
    id: 'p1-films',
    title: 'Films',
    family: 'films',
    intro: "Let's talk about films.",
    questions: [
      'What sort of films do you enjoy?',
      'Do you prefer watching films at the cinema or at home?',
      'Is there a film you would happily watch again and again?',
    ],
  },
  {
    id: 'p1-outdoors',
    title: 'Parks and the outdoors',
    family: 'nature',
    intro: "Let's talk about spending time outdoors.",
    questions: [
      'How often do you go to a park or the countryside?',
      'What do you like to do when you are outside?',
      'Did you spend much time outdoors as a child?',
      'Would you like to live closer to nature?',
    ],
  },
  {
    id: 'p1-mornings',
    title: 'Mornings',
    family: 'routine',
    intro: "Let's talk about your mornings.",
    questions: [
      'Are you a morning person?',
      'What is the first thing you do after you wake up?',
      'Is your morning routine different at the weekend?',
    ],
  },
  {
    id: 'p1-art',
    title: 'Art',
    family: 'art',
    intro: "Let's talk about art.",
    questions: [
      'Do you like looking at paintings or other kinds of art?',
      'Did you enjoy drawing or painting at school?',
      'Is there any art on the walls where you live?',
    ],
  },
  {
    id: 'p1-birthdays',
    title: 'Birthdays',
    family: 'celebrations',
    intro: "Let's talk about birthdays.",
    questions: [
      'How do you usually spend your birthday?',
      'Which birthday do you remember best from your childhood?',
      'Do you think birthdays matter more to children than to adults?',
    ],
  },
];
