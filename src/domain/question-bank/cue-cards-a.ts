import type { CueCard } from './types.ts';

// Leisure and everyday-life cards. Families match Part 1 families on purpose, so the selector's
// exclusion keeps a test from asking about music in Part 1 and again in Part 2.
export const cueCardsA: CueCard[] = [
  {
    id: 'cc-music-piece',
    family: 'music',
    title: 'A piece of music that matters to you',
    prompt: 'Describe a piece of music that means a lot to you.',
    bullets: [
      'what the piece of music is',
      'when you first heard it',
      'how often you listen to it',
    ],
    explain: 'and explain why it is important to you.',
    roundingOff: ['Do you still listen to it often?', 'Have you shared it with anyone else?'],
    part3: [
      {
        id: 'cc-music-piece-t1',
        title: 'Music in everyday life',
        questions: [
          'What kinds of music are popular with young people in your country?',
          "How is the music people listen to now different from their parents' music?",
          'Should music lessons be compulsory in schools?',
          'Some say music brings different cultures together. How far do you agree?',
          'How might technology change the way music is made in the future?',
        ],
      },
      {
        id: 'cc-music-piece-t2',
        title: 'Live music and musicians',
        questions: [
          'Why do people go to concerts when they can listen to music at home?',
          'How does a live performance compare with a recording?',
          'Is it fair that a few famous musicians earn far more than most others?',
          'What do you think will happen to small music venues in the coming years?',
        ],
      },
    ],
  },
  {
    id: 'cc-journey',
    family: 'travel',
    title: 'A memorable journey',
    prompt: 'Describe a journey you remember well.',
    bullets: ['where you were going', 'how you travelled', 'who you were with'],
    explain: 'and explain why you remember this journey so well.',
    roundingOff: ['Would you make that journey again?', 'Do you enjoy long journeys?'],
    part3: [
      {
        id: 'cc-journey-t1',
        title: 'Reasons for travel',
        questions: [
          'Why do people in your country travel within their own country?',
          'How has the way families go on holiday changed in recent years?',
          'Is travelling abroad the best way to learn about another culture?',
          'Will people travel more or less in the future, in your opinion?',
        ],
      },
      {
        id: 'cc-journey-t2',
        title: 'Tourism and places',
        questions: [
          'What attracts tourists to your area?',
          'What are the differences between travelling alone and in a group?',
          'Does tourism do more good than harm to small towns?',
          'How could popular places protect themselves from too many visitors?',
          'Do you think virtual travel could ever replace real trips?',
        ],
      },
    ],
  },
  {
    id: 'cc-shared-meal',
    family: 'food',
    title: 'A meal you enjoyed with others',
    prompt: 'Describe a meal you really enjoyed sharing with other people.',
    bullets: ['where you had it', 'who you were with', 'what you ate'],
    explain: 'and explain why you enjoyed it so much.',
    roundingOff: ['Do you often eat with that group?', 'Would you cook that meal yourself?'],
    part3: [
      {
        id: 'cc-shared-meal-t1',
        title: 'Family meals',
        questions: [
          'How often do families in your country eat together?',
          'How are family meals today different from those in the past?',
          'Is it important for children to eat with their parents?',
          'Do you think families will eat together less in the future?',
        ],
      },
      {
        id: 'cc-shared-meal-t2',
        title: 'Food and health',
        questions: [
          'What do people in your country usually eat for lunch?',
          'Is home cooking healthier than eating in restaurants?',
          'Should governments put taxes on unhealthy food?',
          'How might the food we eat change over the next fifty years?',
        ],
      },
    ],
  },
  {
    id: 'cc-book',
    family: 'reading',
    title: 'A book you would recommend',
    prompt: 'Describe a book you would recommend to a friend.',
    bullets: ['what the book is about', 'when you read it', 'who you would recommend it to'],
    explain: 'and explain why you think others should read it.',
    roundingOff: ['Have you read it more than once?', 'Do you often recommend books?'],
    part3: [
      {
        id: 'cc-book-t1',
        title: 'Reading habits',
        questions: [
          'What kinds of books are popular in your country?',
          'Do young people read as much as older people do?',
          'Are e-books better than printed books?',
          'Will libraries still be needed in twenty years?',
        ],
      },
      {
        id: 'cc-book-t2',
        title: 'Children and reading',
        questions: [
          'How do parents encourage their children to read?',
          'Is reading stories different from watching them on screen for a child?',
          'How much should schools decide what children read?',
          'What would happen to society if people stopped reading books?',
        ],
      },
    ],
  },
  {
    id: 'cc-new-sport',
    family: 'sport',
    title: 'A sport you would like to try',
    prompt: 'Describe a sport or physical activity you would like to try.',
    bullets: ['what it is', 'where you could do it', 'what you would need to start'],
    explain: 'and explain why you would like to try it.',
    roundingOff: ['Do you know anyone who does it?', 'Do you think you will try it soon?'],
    part3: [
      {
        id: 'cc-new-sport-t1',
        title: 'Sport and fitness',
        questions: [
          'What do people in your country do to stay fit?',
          'How do team sports compare with sports you do alone?',
          'Should schools spend more time on physical education?',
          'Do you think people will become more or less active in the future?',
        ],
      },
      {
        id: 'cc-new-sport-t2',
        title: 'Professional sport',
        questions: [
          'Which sports do people in your country like to watch?',
          'Why are some sports watched far more than others?',
          'Are top athletes good role models for young people?',
          'Is it right that professional athletes are paid so much?',
          'How might sport change if technology is allowed to help athletes?',
        ],
      },
    ],
  },
  {
    id: 'cc-good-purchase',
    family: 'shopping',
    title: 'Something you were pleased to buy',
    prompt: 'Describe something you bought recently that you are pleased with.',
    bullets: ['what you bought', 'where you bought it', 'how much it cost'],
    explain: 'and explain why you are pleased with it.',
    roundingOff: ['Do you use it every day?', 'Would you buy the same thing again?'],
    part3: [
      {
        id: 'cc-good-purchase-t1',
        title: 'Shopping habits',
        questions: [
          'Where do people in your town usually do their shopping?',
          'How is shopping online different from shopping in a store?',
          'Is advertising good or bad for shoppers?',
          'What will happen to high streets if online shopping keeps growing?',
        ],
      },
      {
        id: 'cc-good-purchase-t2',
        title: 'Money and consumption',
        questions: [
          'What do young people in your country like to spend money on?',
          'Do people today buy more things than their grandparents did?',
          'Should people repair things rather than replace them?',
          'Do you think people will own fewer things in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-new-skill',
    family: 'skills',
    title: 'A skill you would like to learn',
    prompt: 'Describe a skill you would like to learn.',
    bullets: ['what the skill is', 'how you would learn it', 'how long it might take'],
    explain: 'and explain why you want to learn this skill.',
    roundingOff: ['Have you already started?', 'Do your friends have this skill?'],
    part3: [
      {
        id: 'cc-new-skill-t1',
        title: 'Practical skills',
        questions: [
          'Which practical skills do children learn at home in your country?',
          'Are practical skills more useful than academic knowledge?',
          'Should schools teach skills like cooking and repairing things?',
          'Which skills will be most valuable in twenty years?',
        ],
      },
      {
        id: 'cc-new-skill-t2',
        title: 'Learning methods',
        questions: [
          'How do people usually learn a new skill in your country?',
          'Is it better to learn from a teacher or from online videos?',
          'Does talent matter more than practice?',
          'How might artificial intelligence change the way people learn skills?',
        ],
      },
    ],
  },
];
