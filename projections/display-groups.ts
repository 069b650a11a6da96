import type { DisplayGroup } from '@ledger/projection-kit';

/** The sections of the report (CLI table, dashboard) the figure families of KPIS.md are shown in, in its order. */
export const GROUPS = {
  populations: { id: 'populations', title: { en: 'Disadvantaged populations', fr: 'Populations défavorisées' } },
  impact: { id: 'impact', title: { en: 'Impact', fr: 'Impact' } },
  funding: { id: 'funding', title: { en: 'Funding lever', fr: 'Levier du financement' } },
  partnerships: { id: 'partnerships', title: { en: 'Corporate partnerships', fr: 'Partenariats avec les entreprises' } },
  key: { id: 'key', title: { en: 'Key figures', fr: 'Les chiffres clés' } },
  survey: { id: 'survey', title: { en: 'Signup survey', fr: "Questionnaire d'inscription" } },
  awareness: { id: 'awareness', title: { en: 'Awareness', fr: 'Sensibilisation' } },
  international: { id: 'international', title: { en: 'International', fr: 'International' } },
} satisfies Record<string, DisplayGroup>;
