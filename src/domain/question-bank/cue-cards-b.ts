import type { CueCard } from './types.ts';

// People, media and places. Kept separate from cue-cards-a.ts only to keep files readable.
export const cueCardsB: CueCard[] = [
  {
    id: 'cc-helpful-friend',
    family: 'friends',
    title: 'A friend who helped you',
    prompt: 'Describe a friend who helped you at an important time.',
    bullets: ['who this friend is', 'how you met', 'what they did to help you'],
    explain: 'and explain how you felt about their help.',
    roundingOff: ['Are you still close to this friend?', 'Have you been able to help them back?'],
    part3: [
      {
        id: 'cc-helpful-friend-t1',
        title: 'Friendship',
        questions: [
          'Where do young people in your country usually make new friends?',
          'Are childhood friendships different from the friends we make as adults?',
          'Can online friends be as close as friends we meet in person?',
          'How might friendships change as people move cities more often?',
        ],
      },
      {
        id: 'cc-helpful-friend-t2',
        title: 'Helping others',
        questions: [
          'In what ways do neighbours help each other where you live?',
          'Do people help strangers more in small towns or in big cities?',
          'Should helping in the community be part of school education?',
          'Will people rely more on friends or on public services in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-useful-device',
    family: 'technology',
    title: 'A useful piece of technology',
    prompt: 'Describe a piece of technology you find very useful.',
    bullets: ['what it is', 'when you got it', 'what you use it for'],
    explain: 'and explain why it is so useful to you.',
    roundingOff: ['Could you manage without it?', 'Do your friends use one too?'],
    part3: [
      {
        id: 'cc-useful-device-t1',
        title: 'Technology at home',
        questions: [
          'What devices do most families in your country have at home?',
          'How do older and younger people differ in the way they use technology?',
          'Has technology made family life better or worse?',
          'What new device do you think homes will have in ten years?',
        ],
      },
      {
        id: 'cc-useful-device-t2',
        title: 'Technology and work',
        questions: [
          'Which jobs in your country depend most on computers?',
          'Is working from home more productive than working in an office?',
          'Should companies limit how often staff are contacted after work hours?',
          'Which jobs do you think machines will never be able to do?',
        ],
      },
    ],
  },
  {
    id: 'cc-photograph',
    family: 'photography',
    title: 'A photograph you like',
    prompt: 'Describe a photograph that you like.',
    bullets: ['who or what is in it', 'when and where it was taken', 'where you keep it'],
    explain: 'and explain why you like this photograph.',
    roundingOff: ['Do you look at it often?', 'Did you take the photo yourself?'],
    part3: [
      {
        id: 'cc-photograph-t1',
        title: 'Photos and memory',
        questions: [
          'On what occasions do people in your country take photos?',
          'How is keeping photos on a phone different from keeping printed ones?',
          'Do people take too many photos nowadays?',
          'How will people keep their family memories in the future?',
        ],
      },
      {
        id: 'cc-photograph-t2',
        title: 'Images in the media',
        questions: [
          'Why do news stories usually include photographs?',
          'Are photos more powerful than written descriptions?',
          'Should edited photos in advertising carry a warning?',
          'Will people still trust photographs as editing becomes easier?',
        ],
      },
    ],
  },
  {
    id: 'cc-thoughtful-film',
    family: 'films',
    title: 'A film that made you think',
    prompt: 'Describe a film that made you think deeply.',
    bullets: ['what the film was', 'when you watched it', 'what it was about'],
    explain: 'and explain why it made you think.',
    roundingOff: ['Would you watch it again?', 'Did you talk about it with anyone?'],
    part3: [
      {
        id: 'cc-thoughtful-film-t1',
        title: 'Watching films',
        questions: [
          'What kinds of films are popular in your country?',
          'How is watching a film at the cinema different from watching at home?',
          'Is it better to watch films from your own country or from abroad?',
          'Will cinemas still exist in twenty years?',
        ],
      },
      {
        id: 'cc-thoughtful-film-t2',
        title: 'Films and society',
        questions: [
          'What can people learn from films about history?',
          'Do films influence young people more than books do?',
          'Should films with violent scenes be more strictly controlled?',
          'How might films be made differently in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-green-space',
    family: 'nature',
    title: 'A park or garden you like',
    prompt: 'Describe a park or garden you enjoy visiting.',
    bullets: ['where it is', 'what it looks like', 'what you do there'],
    explain: 'and explain why you enjoy going there.',
    roundingOff: ['How often do you go there?', 'Do you go there alone or with others?'],
    part3: [
      {
        id: 'cc-green-space-t1',
        title: 'Green spaces in cities',
        questions: [
          'What do people usually do in parks in your country?',
          'Are parks more important for people in cities than in the countryside?',
          'Should new housing projects be required to include green space?',
          'How might cities look different in fifty years?',
        ],
      },
      {
        id: 'cc-green-space-t2',
        title: 'People and nature',
        questions: [
          'How much time do children spend outdoors these days?',
          'Do children today know less about nature than earlier generations?',
          'Is it the job of schools or parents to teach children about nature?',
          'What could encourage people to spend more time outdoors?',
        ],
      },
    ],
  },
  {
    id: 'cc-teacher',
    family: 'education',
    title: 'A teacher who influenced you',
    prompt: 'Describe a teacher who had a strong influence on you.',
    bullets: ['who the teacher was', 'what subject they taught', 'what they were like'],
    explain: 'and explain how they influenced you.',
    roundingOff: ['Are you still in contact with them?', 'Did you enjoy their lessons?'],
    part3: [
      {
        id: 'cc-teacher-t1',
        title: 'Teachers and teaching',
        questions: [
          'What qualities make someone a good teacher?',
          'How is teaching today different from when your parents were at school?',
          'Should teachers be paid more than they are now?',
          'Could computers ever replace teachers in the classroom?',
        ],
      },
      {
        id: 'cc-teacher-t2',
        title: 'Learning throughout life',
        questions: [
          'What do adults in your country like to study in their free time?',
          'Is it easier to learn something new as a child or as an adult?',
          'Should employers pay for their staff to keep learning?',
          'How will people learn new skills in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-celebration',
    family: 'celebrations',
    title: 'A celebration you attended',
    prompt: 'Describe a celebration you attended and enjoyed.',
    bullets: ['what was being celebrated', 'where it took place', 'who was there'],
    explain: 'and explain why you enjoyed it.',
    roundingOff: ['Do you like big parties?', 'Have you been to a similar event since?'],
    part3: [
      {
        id: 'cc-celebration-t1',
        title: 'Traditional festivals',
        questions: [
          'What is the most important festival in your country?',
          'How do young and old people celebrate festivals differently?',
          'Are traditional festivals losing their meaning?',
          'Do you think new festivals will appear in the future?',
        ],
      },
      {
        id: 'cc-celebration-t2',
        title: 'Spending on celebrations',
        questions: [
          'How much do people in your country spend on weddings?',
          'Are small celebrations more enjoyable than large ones?',
          'Is it wasteful to spend a lot of money on a single day?',
          'How might the way people celebrate change in the future?',
        ],
      },
    ],
  },
  {
    id: 'cc-helping-someone',
    family: 'kindness',
    title: 'A time you helped someone',
    prompt: 'Describe a time when you helped someone.',
    bullets: ['who you helped', 'what the situation was', 'how you helped them'],
    explain: 'and explain how you felt afterwards.',
    roundingOff: ['Did the person thank you?', 'Do you often help people like this?'],
    part3: [
      {
        id: 'cc-helping-someone-t1',
        title: 'Volunteering',
        questions: [
          'What kinds of volunteer work do people do in your country?',
          'Do young people volunteer more or less than older people?',
          'Should volunteering be rewarded in some way?',
          'Will volunteering become more common in the future?',
        ],
      },
      {
        id: 'cc-helping-someone-t2',
        title: 'Kindness in society',
        questions: [
          'How do children learn to be kind to others?',
          'Are people kinder in small communities than in large cities?',
          'Does social media make people more or less considerate?',
          'What would encourage people to help strangers more often?',
        ],
      },
    ],
  },
];
