/**
 * Article headlines by topic, built from phrase lists so that thousands of distinct, plausible
 * stories exist per topic.
 */
import type { Rng } from './random.js';

/** The kind of stories a section runs. */
export type Topic =
  | 'news'
  | 'football'
  | 'rugby'
  | 'players'
  | 'racing'
  | 'money'
  | 'travel'
  | 'celebrity'
  | 'tech'
  | 'opinion';

type Parts = readonly (readonly string[])[];

const CLUBS = ['Arsenal', 'Liverpool', 'Chelsea', 'Manchester United', 'Newcastle', 'Aston Villa'];
const MORE_CLUBS = ['Tottenham', 'Brighton', 'Everton', 'West Ham', 'Wolves', 'Fulham'];
const NATIONS = ['England', 'Wales', 'Scotland', 'Ireland', 'France', 'Australia', 'New Zealand'];
const PLAYERS = ['Raducanu', 'Draper', 'Alcaraz', 'Sinner', 'Swiatek', 'Sabalenka', 'Djokovic'];
const DRIVERS = ['Hamilton', 'Norris', 'Russell', 'Verstappen', 'Leclerc', 'Piastri'];
const RESULTS = ['edge past', 'thrash', 'hold off', 'stun', 'draw with', 'fight back to beat'];

const PHRASES: Readonly<Record<Topic, Parts>> = {
  news: [
    ['Chancellor', 'Prime Minister', 'Health Secretary', 'Council', 'Police chief', 'Met Office'],
    [' '],
    ['unveils', 'announces', 'warns over', 'defends', 'scraps', 'delays', 'backs', 'rejects'],
    [' '],
    [
      'plan to cut energy bills',
      'new housing targets',
      'rail strike dates',
      'budget shake-up',
      'winter flu measures',
      '20mph speed limits',
      'school funding boost',
      'crackdown on fly-tipping',
      'pension reforms',
      'bus fare cap',
      'hosepipe ban',
      'new hospital plans',
    ],
  ],
  football: [
    [...CLUBS, ...MORE_CLUBS],
    [' '],
    RESULTS,
    [' '],
    [...CLUBS, ...MORE_CLUBS],
    ['', ' in late drama', ' as title race heats up', ' to reach cup final', ' after VAR row'],
  ],
  rugby: [
    NATIONS,
    [' '],
    RESULTS,
    [' '],
    NATIONS,
    ['', ' in thriller', ' to keep series alive', ' as captain shines'],
  ],
  players: [
    PLAYERS,
    [' '],
    [
      'battles into quarter-finals',
      'crashes out in straight sets',
      'storms to victory',
      'withdraws with injury',
      'sets up semi-final clash',
    ],
  ],
  racing: [
    DRIVERS,
    [' '],
    ['takes pole', 'wins', 'crashes out', 'fastest in practice', 'penalised'],
    [' '],
    ['in Monaco', 'at Silverstone', 'in Abu Dhabi', 'in Singapore', 'at Monza'],
  ],
  money: [
    ['Mortgage rates', 'Energy bills', 'Petrol prices', 'House prices', 'Savings rates'],
    [' '],
    [
      'set to rise again in spring',
      'fall for third month running',
      'hit five-year high',
      'frozen until 2027',
      'could jump by £300, experts warn',
      'drop as lenders cut deals',
    ],
  ],
  travel: [
    [
      'Lisbon',
      'Crete',
      'The Lake District',
      'Marrakech',
      'Iceland',
      'Cornwall',
      'Kyoto',
      'Seville',
    ],
    [
      ': the ultimate weekend guide',
      ' on a budget: where to stay and eat',
      ' named best holiday spot of the year',
      "'s hidden beaches tourists miss",
      ' by train: a complete itinerary',
    ],
  ],
  celebrity: [
    ['Strictly star', 'Oscar winner', 'Bake Off finalist', 'Soap legend', 'Chart-topping singer'],
    [' '],
    [
      'reveals secret to staying young',
      'announces surprise engagement',
      'opens up about health battle',
      'slams rumours of feud',
      'confirms return for new series',
      'shares rare family photo',
    ],
  ],
  tech: [
    ['Apple', 'Google', 'Meta', 'Microsoft', 'Samsung', 'Amazon', 'Netflix', 'OpenAI'],
    [' '],
    [
      'unveils new AI assistant',
      'faces fresh competition probe',
      'to raise subscription prices',
      'hit by global outage',
      'launches cheaper smartphone',
      'cuts thousands of jobs',
    ],
  ],
  opinion: [
    ['The truth about', 'Why we must stop ignoring', "It's time to rethink", 'In defence of'],
    [' '],
    ['the housing crisis', 'our high streets', 'working from home', 'the four-day week'],
  ],
};

/** A headline about `topic`. */
export function headline(rng: Rng, topic: Topic): string {
  let text = '';
  let previous = '';
  for (const options of PHRASES[topic]) {
    let choice = rng.pick(options);
    // A team does not play itself.
    if (choice === previous) choice = options[(options.indexOf(choice) + 1) % options.length] ?? '';
    if (choice !== ' ') previous = choice;
    text += choice;
  }
  return text;
}

/** The URL slug of a headline: `chancellor-unveils-plan-to-cut-energy-bills`. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
