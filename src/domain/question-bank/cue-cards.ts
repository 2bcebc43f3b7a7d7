import { cueCardsA } from './cue-cards-a.ts';
import { cueCardsB } from './cue-cards-b.ts';
import { cueCardsC } from './cue-cards-c.ts';
import type { CueCard } from './types.ts';

// Callers see one list; the split into files exists only to keep each file a readable size.
export const cueCards: CueCard[] = [...cueCardsA, ...cueCardsB, ...cueCardsC];
