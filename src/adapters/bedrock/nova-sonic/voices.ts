/** Nova 2 Sonic's voices; `amy` (British English) suits an IELTS examiner. */
export const NOVA_2_VOICES = [
  'matthew',
  'tiffany',
  'amy',
  'olivia',
  'lupe',
  'carlos',
  'ambre',
  'florian',
  'tina',
  'lennart',
  'beatrice',
  'lorenzo',
  'carolina',
  'leo',
  'arjun',
  'kiara',
] as const;
