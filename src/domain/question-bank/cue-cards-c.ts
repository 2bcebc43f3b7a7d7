import type { CueCard } from './types.ts';

// Experiences, places and personal growth. Most families here have no Part 1 twin, which widens
// the pool of Part 1 topics the selector can pair with these cards.
export const cueCardsC: CueCard[] = [
  {
    id: 'cc-building',
    family: 'architecture',
    title: 'An interesting building',
    prompt: 'Describe a building you find interesting.',
    bullets: ['where it is', 'what it looks like', 'what it is used for'],
    explain: 'and explain why you find it interesting.',
    roundingOff: ['Have you been inside it?', 'Would you like to live in a building like it?'],
    part3: [
      {
        id: 'cc-building-t1',
        title: 'Buildings and design',
        questions: [
          'What do most new buildings in your city look like?',
          'Are old buildings more attractive than modern ones?',
          'Should governments pay to protect historic buildings?',
          'What will homes of the future look like?',
        ],
      },
      {
        id: 'cc-building-t2',
        title: 'Housing',
        questions: [
          'What kind of housing do young people in your country live in?',
          'Is it better to rent a home or to buy one?',
          'Whose responsibility is it to make housing affordable?',
          'Will more people share homes with strangers in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-advice',
    family: 'advice',
    title: 'Useful advice you received',
    prompt: 'Describe a piece of advice that you found useful.',
    bullets: ['who gave you the advice', 'what the advice was', 'when you received it'],
    explain: 'and explain why it was useful to you.',
    roundingOff: ['Have you passed that advice on?', 'Do you usually take advice?'],
    part3: [
      {
        id: 'cc-advice-t1',
        title: 'Asking for advice',
        questions: [
          'Who do young people in your country go to for advice?',
          'Is advice from friends more useful than advice from parents?',
          'Should people trust advice they find online?',
          'Will people rely more on computers for advice in the future?',
        ],
      },
      {
        id: 'cc-advice-t2',
        title: 'Professional advice',
        questions: [
          'What kinds of problems do people pay experts to advise them on?',
          'How does professional advice differ from advice from family?',
          'Is it worth paying for advice about money?',
          'How might careers advice in schools change in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-changed-mind',
    family: 'decisions',
    title: 'A time you changed your mind',
    prompt: 'Describe a time when you changed your mind about something.',
    bullets: ['what you first thought', 'what made you change your mind', 'when this happened'],
    explain: 'and explain how you felt about changing your mind.',
    roundingOff: ['Do you change your mind easily?', 'Did anyone notice the change?'],
    part3: [
      {
        id: 'cc-changed-mind-t1',
        title: 'Making decisions',
        questions: [
          'What big decisions do young adults in your country have to make?',
          'Do people make better decisions alone or in a group?',
          'Should parents make important decisions for their teenage children?',
          'Will having more information make decisions easier in the future?',
        ],
      },
      {
        id: 'cc-changed-mind-t2',
        title: 'Opinions and persuasion',
        questions: [
          'How do advertisers try to change what people think?',
          'Are people more easily persuaded by facts or by feelings?',
          'Is it a sign of weakness to change your opinion?',
          'How might social media affect the way people form opinions?',
        ],
      },
    ],
  },
  {
    id: 'cc-goal',
    family: 'ambition',
    title: 'A goal you are working towards',
    prompt: 'Describe a goal you are working towards at the moment.',
    bullets: ['what the goal is', 'when you set it', 'what you are doing to achieve it'],
    explain: 'and explain why this goal is important to you.',
    roundingOff: ['When do you hope to reach it?', 'Have you told others about it?'],
    part3: [
      {
        id: 'cc-goal-t1',
        title: 'Ambition',
        questions: [
          'What do young people in your country hope to achieve?',
          'Are people today more ambitious than their parents were?',
          'Can too much ambition be harmful?',
          'How might the ambitions of young people change in the future?',
        ],
      },
      {
        id: 'cc-goal-t2',
        title: 'Success',
        questions: [
          'How do people in your country usually measure success?',
          'Is success at work more important than success in family life?',
          'Does luck play a bigger role in success than hard work?',
          'Will the idea of a successful life be different in fifty years?',
        ],
      },
    ],
  },
  {
    id: 'cc-changed-place',
    family: 'cities',
    title: 'A place that has changed',
    prompt: 'Describe a place in your town or city that has changed a lot.',
    bullets: ['where it is', 'what it used to be like', 'what it is like now'],
    explain: 'and explain how you feel about the change.',
    roundingOff: ['Do you go there often now?', 'Do you prefer it as it is now?'],
    part3: [
      {
        id: 'cc-changed-place-t1',
        title: 'Changing cities',
        questions: [
          'What changes have happened in cities in your country recently?',
          'Is life in a city better than life in the countryside?',
          'Should local people have a say in how their area is developed?',
          'What problems will large cities face in the future?',
        ],
      },
      {
        id: 'cc-changed-place-t2',
        title: 'Public spaces',
        questions: [
          'What public places do people in your town use most?',
          'How are public spaces today different from those in the past?',
          'Who should pay for keeping public places clean and safe?',
          'Do you think towns will have fewer shops and more parks in future?',
        ],
      },
    ],
  },
  {
    id: 'cc-waiting',
    family: 'patience',
    title: 'A time you had to wait',
    prompt: 'Describe a time when you had to wait a long time for something.',
    bullets: ['what you were waiting for', 'where you were', 'how long you waited'],
    explain: 'and explain how you felt while you were waiting.',
    roundingOff: ['Are you usually a patient person?', 'Was it worth the wait?'],
    part3: [
      {
        id: 'cc-waiting-t1',
        title: 'Patience',
        questions: [
          'In what situations do people in your country have to wait in line?',
          'Are children less patient than adults?',
          'Has modern technology made people less patient?',
          'Will people have to wait for things less often in the future?',
        ],
      },
      {
        id: 'cc-waiting-t2',
        title: 'Time and speed',
        questions: [
          'What do people do to save time in their daily lives?',
          'Is life faster in cities than in the countryside?',
          'Is it always a good thing when services become faster?',
          'How might people use their free time differently in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-handmade',
    family: 'objects',
    title: 'A handmade object you own',
    prompt: 'Describe something handmade that you own.',
    bullets: ['what it is', 'who made it', 'how you got it'],
    explain: 'and explain why it is special to you.',
    roundingOff: ['Do you use it often?', 'Have you ever made something like it?'],
    part3: [
      {
        id: 'cc-handmade-t1',
        title: 'Handmade and factory-made',
        questions: [
          'What handmade products is your country known for?',
          'How do handmade goods compare with factory-made goods?',
          'Are handmade gifts more meaningful than bought ones?',
          'Will traditional crafts survive in the future?',
        ],
      },
      {
        id: 'cc-handmade-t2',
        title: 'Keeping possessions',
        questions: [
          'What kinds of things do people keep for sentimental reasons?',
          'Do older people value their possessions more than young people do?',
          'Is it better to keep old things or to give them away?',
          'Do you think people will care less about objects in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-older-person',
    family: 'family',
    title: 'An older person you respect',
    prompt: 'Describe an older person you respect.',
    bullets: ['who this person is', 'how you know them', 'what they are like'],
    explain: 'and explain why you respect them.',
    roundingOff: ['How often do you see this person?', 'Have they given you any advice?'],
    part3: [
      {
        id: 'cc-older-person-t1',
        title: 'Generations',
        questions: [
          'How do grandparents help families in your country?',
          'What are the main differences between the values of old and young people?',
          'Should elderly parents live with their adult children?',
          'How will families look different in the future?',
        ],
      },
      {
        id: 'cc-older-person-t2',
        title: 'An ageing society',
        questions: [
          'What do retired people in your country usually do?',
          'Is it harder to be old now than it was in the past?',
          'Should people be allowed to keep working as long as they want?',
          'How might society change as people live longer?',
          'What could young people learn from spending more time with older people?',
        ],
      },
    ],
  },
];
