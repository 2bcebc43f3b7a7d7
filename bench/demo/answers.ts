/**
 * What the headless candidate says, written for this project. Answers are generic enough to fit
 * any question of their part; the demo measures timing and flow, not content.
 */
export const scriptedAnswers = {
  intro: [
    'My full name is Maria Fernanda Costa.',
    'Please call me Maria.',
    'I am from Porto, a city in the north of Portugal.',
  ],
  part1: [
    'I work as a nurse in a children’s hospital, and I have been doing it for about six years now.',
    'What I enjoy most is working with the families, because every day is a little different.',
    'Sometimes the night shifts are quite tiring, but I have learned to plan my sleep carefully.',
    'Yes, I think so. In my free time I usually do that with a couple of close friends.',
    'Not really when I was a child, but these days it has become much more important to me.',
    'I would say it depends on the season. In summer I definitely do it more often than in winter.',
    'Probably my mother, because she always encouraged me to try new things when I was young.',
    'I think it has changed a lot. People rely on their phones for almost everything now.',
  ],
  part2: [
    'I would like to talk about a small park near the river in my home town, which I have been ' +
      'visiting since I was a little girl.',
    'The first time I went there was with my grandfather. He used to take me on Sunday mornings, ' +
      'and we would walk along the water and feed the ducks together.',
    'The park is not very large, but it has tall old trees, a little wooden bridge, and a cafe ' +
      'that sells the best orange cake I have ever tasted.',
    'These days I go there mostly in the evenings after work, when the light over the river is ' +
      'soft and the paths are quiet.',
    'I think it is important to me because it connects me with my childhood and with my ' +
      'grandfather, who passed away a few years ago.',
    'Whenever I feel stressed, a short walk there helps me to calm down and to think more clearly ' +
      'about whatever is worrying me.',
    'So for all of these reasons, that little park is probably my favourite place in the whole ' +
      'city, and I hope it never changes.',
  ],
  /** Said only if the examiner asks for more after a short long turn. */
  part2More: [
    'I suppose I should also mention that the park is where I learned to ride a bicycle.',
  ],
  roundingOff: [
    'Yes, I still go there almost every week.',
    'Yes, I have taken a few friends there.',
  ],
  part3: [
    'I think the main reason is that cities are growing very quickly, so green spaces are ' +
      'becoming rare and people value them more than before.',
    'Compared with the past, young people spend more time indoors, although many of them are ' +
      'starting to rediscover outdoor activities.',
    'In my opinion the government should be responsible, but local communities also have an ' +
      'important role in looking after these places.',
    'It is difficult to say, but I suspect that in twenty years most cities will have to plant ' +
      'many more trees simply to stay cool in summer.',
    'On the one hand it is expensive, but on the other hand the benefits for public health are ' +
      'enormous, so I believe it is worth the money.',
    'Perhaps technology will help, for example with sensors that tell gardeners exactly when ' +
      'plants need water.',
  ],
} as const;

export type AnswerPart = keyof typeof scriptedAnswers;
