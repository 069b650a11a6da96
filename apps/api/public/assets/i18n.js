// The dashboard's words, in French (as the published mission report says them) and in English.
// Plain data: every string here is inserted with textContent, never as HTML.

export const LANGUAGES = ['fr', 'en'];

const fr = {
  'app.title': "Registre d'impact",
  'app.subtitle': 'Tableau de bord du Comité de Mission : chaque chiffre rejoué depuis le journal, et sa provenance',
  'lang.label': 'Langue',
  'skip': 'Aller au contenu',
  'login.heading': "Clé d'accès",
  'login.label': "Clé d'API",
  'login.help': 'Une clé se crée avec « npm run --silent ledger -- keys create --role committee --name <nom> ». Elle reste dans cet onglet seulement (sessionStorage).',
  'login.submit': 'Se connecter',
  'login.refused': 'Clé refusée (401) : {message}',
  'login.checking': 'Vérification de la clé…',
  'who': 'Connecté : {name} ({role})',
  'role.committee': 'comité',
  'role.auditor': 'auditeur',
  'role.admin': 'administrateur',
  'signout': 'Changer de clé',
  'controls.heading': 'Période et moment',
  'from': 'Du',
  'to': 'Au',
  'knownAt': 'Connu au (UTC)',
  'knownAt.help': 'Vide : maintenant. Les chiffres tels que le registre les connaissait à ce moment-là.',
  'now': 'Maintenant',
  'publications': 'Publications scellées',
  'publications.none': 'Aucune publication scellée dans le journal.',
  'publication.button': '{id} (connu au {knownAt})',
  'show': 'Afficher',
  'status': 'Rapport du {from} au {to}, tel que connu au {knownAt} (position {position} du journal)',
  'status.now': 'maintenant',
  'loading': 'Chargement…',
  'populations.heading': 'Populations défavorisées',
  'populations.note': 'Apprenants. n/c : non collecté. Chaque chiffre mène à sa provenance.',
  'col.total': 'Total',
  'col.job-seeker': "Demandeurs d'emploi",
  'col.low-qualified': 'Personnes peu qualifiées',
  'col.qpv-resident': 'Personnes vivant en QPV',
  'col.disability': 'En situation de handicap',
  'col.refugee': 'Réfugiés',
  'row.paid-path': 'Étudiants suivant un parcours payant',
  'row.paid-funded': 'Financés',
  'row.employment-program': "Admis à un programme pour l'emploi",
  'row.employer-funded': "Financés par l'employeur",
  'row.all': 'TOTAL',
  'row.net': 'Total net (en excluant les doublons)',
  'nc': 'n/c',
  'nc.title': 'non collecté',
  'impact.heading': 'Impact',
  'impact.caption': 'étudiants ayant connu une progression professionnelle positive',
  'impact.note': "Il n'y a pas d'impact par défaut : seuls comptent les témoignages volontaires (réponse à un sondage) et les contrats d'apprentissage signés.",
  'outcome.new-job': 'Nouvel emploi',
  'outcome.promotion': 'Promotion',
  'outcome.business-created': "Création d'entreprise",
  'outcome.apprenticeship': 'Contrat en alternance',
  'levers.heading': 'Les leviers stratégiques',
  'objective': 'Objectif : {objective}',
  'lever.awareness': 'Notoriété et engagement',
  'lever.awareness.objective': '+20 % de notoriété',
  'lever.awareness.text': 'Destinataires des campagnes, par public',
  'lever.funding': 'Possibilités de financement',
  'lever.funding.objective': "60 % d'étudiants financés",
  'lever.funding.text': "Part des étudiants en formation financés (tiers ou programme pour l'emploi) en fin de mois",
  'lever.partnerships': 'Partenariats avec les entreprises',
  'lever.partnerships.objective': "+25 % d'étudiants bénéficiant d'un financement proposé par une entreprise",
  'lever.partnerships.text': 'Étudiants financés par une entreprise',
  'lever.international': 'Empreinte internationale',
  'lever.international.objective': '+20 % en dehors de la France',
  'lever.international.text': 'Étudiants admis dans la période',
  'vs': 'contre {prev} en {year}',
  'target.met': 'objectif atteint',
  'target.missed': 'objectif non atteint',
  'key.heading': 'Les chiffres clés',
  'all.heading': 'Tous les chiffres',
  'all.help': 'Chaque chiffre du catalogue, par rubrique. Chacun mène à sa provenance.',
  'charts.heading': 'Graphiques',
  'chart.funding': "Part des étudiants financés, mois par mois, contre l'objectif de 60 %",
  'chart.target': 'Objectif 60 %',
  'chart.partnerships': "Étudiants financés par l'employeur, {prev} et {cur}, par type",
  'chart.themes': 'Cours débutés par thème',
  'chart.data': 'Données du graphique',
  'chart.month': 'Mois',
  'chart.kind': 'Type',
  'chart.theme': 'Thème',
  'chart.share': 'Part',
  'chart.count': 'Cours',
  'chart.empty': 'Aucune donnée pour cette période.',
  'compare.heading': 'Comparer deux moments',
  'compare.help': 'Les deux rapports portent sur la période choisie. Les chiffres qui diffèrent sont surlignés partout dans le tableau de bord, qui montre alors le moment B.',
  'compare.a': 'Moment A (UTC)',
  'compare.b': 'Moment B (UTC ; vide : maintenant)',
  'compare.submit': 'Comparer',
  'compare.clear': 'Effacer la comparaison',
  'compare.summary': '{n} chiffre(s) diffèrent entre A ({a}, position {pa}) et B ({b}, position {pb}).',
  'compare.none': 'Aucun chiffre ne diffère entre A ({a}, position {pa}) et B ({b}, position {pb}).',
  'compare.col.figure': 'Chiffre',
  'compare.col.a': 'A',
  'compare.col.b': 'B',
  'compare.col.delta': 'Écart',
  'compare.col.events': 'Événements',
  'compare.events': "Événements qui l'ont changé",
  'changed.title': 'Changé : A = {a}, B = {b}',
  'prov.heading': 'Provenance',
  'prov.close': 'Fermer',
  'prov.value': 'Valeur',
  'prov.rule': 'Ce qui est compté',
  'prov.period': 'Période',
  'prov.knownAt': 'Connu au',
  'prov.logPosition': 'Position du journal',
  'prov.figure': 'Identifiant',
  'prov.events': '{n} événement(s)',
  'prov.first': 'Les {n} premiers, dans l\'ordre du journal.',
  'prov.showing': '{shown} affiché(s) sur {total}',
  'prov.more': 'Afficher {n} de plus',
  'prov.loading': 'Recherche des événements…',
  'prov.col.position': 'Position',
  'prov.col.eventId': "Identifiant d'événement",
  'prov.col.type': 'Type',
  'prov.col.learnerId': 'Apprenant',
  'prov.col.occurredAt': 'Survenu le',
  'prov.col.recordedAt': 'Enregistré le',
  'diff.heading': '{figure} : de A à B',
  'diff.recorded': 'Enregistrés depuis A ({n})',
  'diff.retracted': 'Retirés depuis A ({n})',
  'diff.none': "Les événements de la provenance sont les mêmes en A et en B : ce chiffre est calculé à partir d'autres (une moyenne, une part), ou d'événements antérieurs à la période.",
  'jobs.heading': 'Audit et reconstruction',
  'jobs.audit': "Lancer l'audit de la période au moment choisi",
  'jobs.published': 'Publication à confronter',
  'jobs.published.none': '(aucune)',
  'jobs.rebuild': 'Reconstruire les modèles de lecture',
  'jobs.projection': 'Projection (vide : toutes)',
  'jobs.kind.audit': 'Audit',
  'jobs.kind.rebuild': 'Reconstruction',
  'jobs.state.running': 'en cours',
  'jobs.state.done': 'terminé',
  'jobs.state.failed': 'échoué',
  'jobs.line': '{kind} {id} : {state}',
  'jobs.phase': '{phase} : {done} / {total}',
  'jobs.result': 'Résultat',
  'jobs.result.ok': 'Résultat : conforme ✓',
  'jobs.result.ko': 'Résultat : anomalies relevées ✗',
  'jobs.started': 'lancé le {at} par {by}',
  'jobs.finished': 'fini le {at}',
  'error.unreachable': "L'API ne répond pas : {message}",
  'error.http': 'Erreur {status} : {message}',
  'error.forbidden': "Votre rôle ne permet pas cette action (403) : {message}",
  'months': ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};

const en = {
  'app.title': 'Impact ledger',
  'app.subtitle': "Mission committee dashboard: every figure replayed from the log, and its provenance",
  'lang.label': 'Language',
  'skip': 'Skip to content',
  'login.heading': 'Access key',
  'login.label': 'API key',
  'login.help': 'Create a key with "npm run --silent ledger -- keys create --role committee --name <name>". It stays in this tab only (sessionStorage).',
  'login.submit': 'Sign in',
  'login.refused': 'Key refused (401): {message}',
  'login.checking': 'Checking the key…',
  'who': 'Signed in: {name} ({role})',
  'role.committee': 'committee',
  'role.auditor': 'auditor',
  'role.admin': 'admin',
  'signout': 'Change key',
  'controls.heading': 'Period and moment',
  'from': 'From',
  'to': 'To',
  'knownAt': 'Known at (UTC)',
  'knownAt.help': 'Empty: now. The figures as the ledger knew them at that moment.',
  'now': 'Now',
  'publications': 'Sealed publications',
  'publications.none': 'No sealed publication in the log.',
  'publication.button': '{id} (known at {knownAt})',
  'show': 'Show',
  'status': 'Report {from} to {to}, as known at {knownAt} (log position {position})',
  'status.now': 'now',
  'loading': 'Loading…',
  'populations.heading': 'Disadvantaged populations',
  'populations.note': 'Learners. n/c: not collected. Every figure leads to its provenance.',
  'col.total': 'Total',
  'col.job-seeker': 'Job seekers',
  'col.low-qualified': 'Low-qualified',
  'col.qpv-resident': 'Living in a priority district (QPV)',
  'col.disability': 'With a disability',
  'col.refugee': 'Refugees',
  'row.paid-path': 'Learners on a paid path',
  'row.paid-funded': 'Funded',
  'row.employment-program': 'Admitted to an employment program',
  'row.employer-funded': 'Employer-funded',
  'row.all': 'TOTAL',
  'row.net': 'Net total (duplicates excluded)',
  'nc': 'n/c',
  'nc.title': 'not collected',
  'impact.heading': 'Impact',
  'impact.caption': 'learners with a positive professional progression',
  'impact.note': 'There is no impact by default: only voluntary declarations (a survey answer) and signed apprenticeship contracts count.',
  'outcome.new-job': 'New job',
  'outcome.promotion': 'Promotion',
  'outcome.business-created': 'Business created',
  'outcome.apprenticeship': 'Apprenticeship contract',
  'levers.heading': 'The strategic levers',
  'objective': 'Target: {objective}',
  'lever.awareness': 'Awareness and engagement',
  'lever.awareness.objective': '+20% awareness',
  'lever.awareness.text': 'Recipients of outreach campaigns, by audience',
  'lever.funding': 'Funding options',
  'lever.funding.objective': '60% of learners funded',
  'lever.funding.text': 'Share of learners in training who are funded (third party or employment program) at month end',
  'lever.partnerships': 'Corporate partnerships',
  'lever.partnerships.objective': '+25% learners with employer-offered funding',
  'lever.partnerships.text': 'Learners funded by an employer',
  'lever.international': 'International footprint',
  'lever.international.objective': '+20% outside France',
  'lever.international.text': 'Learners admitted in the period',
  'vs': 'against {prev} in {year}',
  'target.met': 'target met',
  'target.missed': 'target not met',
  'key.heading': 'Key figures',
  'all.heading': 'Every figure',
  'all.help': 'Every figure of the catalogue, by section. Each leads to its provenance.',
  'charts.heading': 'Charts',
  'chart.funding': 'Funded share of learners in training, month by month, against the 60% target',
  'chart.target': '60% target',
  'chart.partnerships': 'Employer-funded learners, {prev} vs {cur}, by kind',
  'chart.themes': 'Courses started by theme',
  'chart.data': 'Chart data',
  'chart.month': 'Month',
  'chart.kind': 'Kind',
  'chart.theme': 'Theme',
  'chart.share': 'Share',
  'chart.count': 'Courses',
  'chart.empty': 'No data for this period.',
  'compare.heading': 'Compare two moments',
  'compare.help': 'Both reports cover the chosen period. The figures that differ are highlighted everywhere in the dashboard, which then shows moment B.',
  'compare.a': 'Moment A (UTC)',
  'compare.b': 'Moment B (UTC; empty: now)',
  'compare.submit': 'Compare',
  'compare.clear': 'Clear the comparison',
  'compare.summary': '{n} figure(s) differ between A ({a}, position {pa}) and B ({b}, position {pb}).',
  'compare.none': 'No figure differs between A ({a}, position {pa}) and B ({b}, position {pb}).',
  'compare.col.figure': 'Figure',
  'compare.col.a': 'A',
  'compare.col.b': 'B',
  'compare.col.delta': 'Change',
  'compare.col.events': 'Events',
  'compare.events': 'Events that changed it',
  'changed.title': 'Changed: A = {a}, B = {b}',
  'prov.heading': 'Provenance',
  'prov.close': 'Close',
  'prov.value': 'Value',
  'prov.rule': 'What it counts',
  'prov.period': 'Period',
  'prov.knownAt': 'Known at',
  'prov.logPosition': 'Log position',
  'prov.figure': 'Figure id',
  'prov.events': '{n} event(s)',
  'prov.first': 'The first {n}, in log order.',
  'prov.showing': 'showing {shown} of {total}',
  'prov.more': 'Show {n} more',
  'prov.loading': 'Finding the events…',
  'prov.col.position': 'Position',
  'prov.col.eventId': 'Event id',
  'prov.col.type': 'Type',
  'prov.col.learnerId': 'Learner',
  'prov.col.occurredAt': 'Occurred at',
  'prov.col.recordedAt': 'Recorded at',
  'diff.heading': '{figure}: from A to B',
  'diff.recorded': 'Recorded since A ({n})',
  'diff.retracted': 'Retracted since A ({n})',
  'diff.none': "The provenance lists the same events at A and at B: this figure is computed from others (an average, a share), or from events before the period.",
  'jobs.heading': 'Audit and rebuild',
  'jobs.audit': 'Start an audit of the period at the chosen moment',
  'jobs.published': 'Publication to check against',
  'jobs.published.none': '(none)',
  'jobs.rebuild': 'Rebuild the read models',
  'jobs.projection': 'Projection (empty: all)',
  'jobs.kind.audit': 'Audit',
  'jobs.kind.rebuild': 'Rebuild',
  'jobs.state.running': 'running',
  'jobs.state.done': 'done',
  'jobs.state.failed': 'failed',
  'jobs.line': '{kind} {id}: {state}',
  'jobs.phase': '{phase}: {done} / {total}',
  'jobs.result': 'Result',
  'jobs.result.ok': 'Result: clean ✓',
  'jobs.result.ko': 'Result: findings ✗',
  'jobs.started': 'started {at} by {by}',
  'jobs.finished': 'finished {at}',
  'error.unreachable': 'The API does not answer: {message}',
  'error.http': 'Error {status}: {message}',
  'error.forbidden': 'Your role may not do this (403): {message}',
  'months': ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

const STATUS = {
  fr: { 'job-seeker': "Demandeurs d'emploi", 'low-qualified': 'Personnes peu qualifiées', 'qpv-resident': 'Personnes vivant en QPV', disability: 'En situation de handicap', refugee: 'Réfugiés', all: 'Tous publics' },
  en: { 'job-seeker': 'Job seekers', 'low-qualified': 'Low-qualified', 'qpv-resident': 'Priority-district (QPV) residents', disability: 'With a disability', refugee: 'Refugees', all: 'All audiences' },
};

const THEMES = {
  fr: {
    'web-development': 'Développement web',
    'systems-networks': 'Systèmes et réseaux',
    data: 'Data',
    'marketing-communication': 'Marketing & Communication',
    'soft-skills': 'Soft skills',
    'project-management': 'Gestion de projet',
    design: 'Design',
    other: 'Autre',
    'hr-management': 'RH & Gestion',
    business: 'Business',
    productivity: 'Productivité',
    pedagogy: 'Pédagogie',
    'career-integration': 'Insertion professionnelle',
  },
  en: {
    'web-development': 'Web development',
    'systems-networks': 'Systems and networks',
    data: 'Data',
    'marketing-communication': 'Marketing & communication',
    'soft-skills': 'Soft skills',
    'project-management': 'Project management',
    design: 'Design',
    other: 'Other',
    'hr-management': 'HR & management',
    business: 'Business',
    productivity: 'Productivity',
    pedagogy: 'Pedagogy',
    'career-integration': 'Career integration',
  },
};

const MOTIVATIONS = {
  fr: { 'first-job': "À la recherche d'un premier emploi", 'career-development': 'Développer sa carrière', 'career-change': 'Changer de carrière', 'learning-for-fun': 'Apprendre pour le plaisir', 'training-colleagues': 'Former des collègues', other: 'Autre' },
  en: { 'first-job': 'Looking for a first job', 'career-development': 'Developing a career', 'career-change': 'Changing careers', 'learning-for-fun': 'Learning for fun', 'training-colleagues': 'Training colleagues', other: 'Other' },
};

/** Employer-funded kinds, in the published table's order ("Alternants", "Financement employeur, USA", "Requalification (PSE)"), then the rest. */
const PARTNERSHIPS = {
  fr: { apprenticeship: 'Alternants', 'employer-abroad': 'Financement employeur, hors de France', pse: 'Requalification (PSE)', employer: 'Financement employeur, France', total: 'TOTAL', 'partner-employers': 'Entreprises partenaires' },
  en: { apprenticeship: 'Apprentices', 'employer-abroad': 'Employer funding, abroad', pse: 'Redeployment plan (PSE)', employer: 'Employer funding, France', total: 'TOTAL', 'partner-employers': 'Partner employers' },
};

const FUNDING = {
  fr: { 'in-training': 'Étudiants en formation', 'third-party': 'Financés par un tiers', 'employment-program': "Programme pour l'emploi", self: 'Auto-financés', 'funded-share': 'Part financée' },
  en: { 'in-training': 'Learners in training', 'third-party': 'Third-party funded', 'employment-program': 'Employment program', self: 'Self-funded', 'funded-share': 'Funded share' },
};

const INTERNATIONAL = {
  fr: { 'admitted-learners': 'Étudiants admis', 'admitted-outside-france': 'dont hors de France', 'english-path-learners': 'Sur un parcours en anglais', 'english-path-underemployed': 'dont sous-employés' },
  en: { 'admitted-learners': 'Admitted learners', 'admitted-outside-france': 'of whom outside France', 'english-path-learners': 'On an English-language path', 'english-path-underemployed': 'of whom underemployed' },
};

const KEY = {
  fr: {
    'key.certificates': 'Certificats obtenus',
    'key.courses-started': 'Cours débutés',
    'key.courses-started.monthly-avg': 'Cours débutés chaque mois (moyenne)',
    'key.active-learners.monthly-avg': 'Utilisateurs actifs chaque mois (moyenne)',
    'key.women-share.free-users': 'Part des femmes parmi les utilisateurs gratuits',
    'survey.responses': "Réponses au questionnaire d'inscription",
    'impact.positive-progressions': 'Progressions professionnelles positives',
    'populations.net-distinct': 'Total net (en excluant les doublons)',
  },
  en: {
    'key.certificates': 'Certificates earned',
    'key.courses-started': 'Courses started',
    'key.courses-started.monthly-avg': 'Courses started a month (average)',
    'key.active-learners.monthly-avg': 'Active users a month (average)',
    'key.women-share.free-users': 'Women among free users',
    'survey.responses': 'Signup survey responses',
    'impact.positive-progressions': 'Positive professional progressions',
    'populations.net-distinct': 'Net total (duplicates excluded)',
  },
};

export const MESSAGES = { fr, en };

export function statusLabel(status, lang) {
  return STATUS[lang][status] ?? status;
}
export function themeLabel(theme, lang) {
  return THEMES[lang][theme] ?? theme;
}
export function partnershipLabel(kind, lang) {
  return PARTNERSHIPS[lang][kind] ?? kind;
}
export function internationalLabel(kind, lang) {
  return INTERNATIONAL[lang][kind] ?? kind;
}

/** "2020-03" as "mars 2020" / "Mar 2020". */
export function monthLabel(month, lang) {
  const [year, m] = month.split('-');
  return `${MESSAGES[lang].months[Number(m) - 1] ?? m} ${year}`;
}

/**
 * A readable name for any figure id of KPIS.md, in the language; an id it does not know
 * (a figure added since) is shown as it is, so nothing computed is hidden.
 */
export function figureLabel(id, lang) {
  const L = MESSAGES[lang];
  if (KEY[lang][id]) return KEY[lang][id];
  let m = /^populations\.(paid-funded|employment-program|employer-funded|all)\.([a-z-]+)$/.exec(id);
  if (m) {
    const row = L[`row.${m[1]}`] ?? m[1];
    const col = m[2] === 'total' ? L['col.total'] : statusLabel(m[2], lang);
    return `${row} · ${col}`;
  }
  m = /^impact\.by-outcome\.([a-z-]+)$/.exec(id);
  if (m) return `${L['impact.heading']} · ${L[`outcome.${m[1]}`] ?? m[1]}`;
  m = /^funding\.(\d{4}-\d{2})\.([a-z-]+)$/.exec(id);
  if (m) return `${FUNDING[lang][m[2]] ?? m[2]}, ${monthLabel(m[1], lang)}`;
  m = /^partnerships\.([a-z-]+)$/.exec(id);
  if (m) return `${L['lever.partnerships']} · ${partnershipLabel(m[1], lang)}`;
  m = /^key\.courses-started\.([a-z-]+)$/.exec(id);
  if (m) return `${KEY[lang]['key.courses-started']} · ${themeLabel(m[1], lang)}`;
  m = /^key\.active-learners\.(\d{4}-\d{2})$/.exec(id);
  if (m) return `${lang === 'fr' ? 'Utilisateurs actifs' : 'Active users'}, ${monthLabel(m[1], lang)}`;
  m = /^survey\.motivation\.([a-z-]+)$/.exec(id);
  if (m) return `${lang === 'fr' ? 'Motivation' : 'Motivation'} · ${MOTIVATIONS[lang][m[1]] ?? m[1]}`;
  m = /^awareness\.recipients\.([a-z-]+)$/.exec(id);
  if (m) return `${lang === 'fr' ? 'Destinataires' : 'Recipients'} · ${statusLabel(m[1], lang)}`;
  m = /^international\.([a-z-]+)$/.exec(id);
  if (m) return `${L['lever.international']} · ${internationalLabel(m[1], lang)}`;
  return id;
}
