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
  // KPIS.md version 2 (the 2021 mission scope).
  coverage: { id: 'coverage', title: { en: 'Data coverage', fr: 'Données disponibles' } },
  freeUsers: { id: 'free-users', title: { en: 'Free users of the platform', fr: 'Utilisateurs gratuits de la plateforme' } },
  mentors: { id: 'mentors', title: { en: 'Mentors', fr: 'Mentors' } },
  outcomes: { id: 'outcomes', title: { en: 'Outcomes by admission cohort', fr: "Résultats par cohorte d'admission" } },
  commitments: { id: 'commitments', title: { en: 'Commitments', fr: 'Engagements' } },
} satisfies Record<string, DisplayGroup>;
