import type { NextFunction, Request, Response } from 'express';

/** The languages an error message is given in; English is the default and the original. */
export const ERROR_LANGUAGES = ['en', 'fr'] as const;
export type ErrorLanguage = (typeof ERROR_LANGUAGES)[number];

type Rule = readonly [RegExp, (...groups: string[]) => string];

const STORE: Readonly<Record<string, string>> = {
  'the store is out of space (disk full)': 'le stockage est plein (disque plein)',
  'the store is read-only': 'le stockage est en lecture seule',
  'the store is busy: another writer held its write lock longer than a write waits (LEDGER_WRITE_WAIT_MS)':
    "le stockage est occupé : un autre rédacteur a gardé son verrou d'écriture plus longtemps qu'une écriture n'attend (LEDGER_WRITE_WAIT_MS)",
  'the store does not answer': 'le stockage ne répond pas',
};

const NOTHING_STORED = ': nothing of this request was stored';
const RIEN = " : rien de cette requête n'a été enregistré";

/**
 * The messages an API error can carry, each a pattern of the English text and its French,
 * the variable parts (a field, a value, a moment) carried over as they are. The English is the
 * message as the code writes it: a new message without a rule here stays in English, and the
 * answer says so (`lang: "en"`).
 */
const RULES: readonly Rule[] = [
  [/^(from|to) must be a calendar day YYYY-MM-DD, not (.*)$/s, (f, v) => `${f} doit être un jour du calendrier AAAA-MM-JJ, pas ${v}`],
  [/^from \((.*)\) is after to \((.*)\)$/s, (a, b) => `from (${a}) est après to (${b})`],
  [/^known-at must be an RFC 3339 timestamp with an offset, like 2021-03-15T00:00:00Z: (.*)$/s, (v) => `le moment (knownAt) doit être un horodatage RFC 3339 avec un décalage, comme 2021-03-15T00:00:00Z : ${v}`],
  [/^known-at (.*) is in the future \(now is (.*)\)$/s, (k, n) => `le moment (knownAt) ${k} est dans le futur (il est ${n})`],
  [/^(knownAtA) \((.*)\) is after (knownAtB) \((.*)\)$/s, (a, va, b, vb) => `${a} (${va}) est après ${b} (${vb})`],
  [/^unknown figure id (.*) for this period \(the figure ids are the keys of `report`'s figures\)$/s, (id) => `identifiant de chiffre inconnu ${id} pour cette période (les identifiants sont les clés des chiffres du rapport)`],
  [/^(limit|after) must be (a whole number of events|a log position \(the `next` of a page\)), not (.*)$/s, (f, what, v) => `${f} doit être ${what === 'a whole number of events' ? "un nombre entier d'événements" : 'une position du journal (le `next` d\'une page)'}, pas ${v}`],
  [/^(format|lang) must be one of (.*) \(got (.*)\)$/s, (f, list, v) => `${f} doit valoir l'une de ces valeurs : ${list} (reçu ${v})`],
  [/^property (.*) should not exist$/s, (p) => `le paramètre ${p} n'existe pas`],
  [/^(\S+) must be a string$/s, (p) => `${p} doit être une chaîne de caractères (paramètre manquant ?)`],
  [/^no sealed publication (.*) in the log$/s, (id) => `aucune publication scellée ${id} dans le journal`],
  [/^no PDF: Chromium is not installed at (.*) \(CHROMIUM_PATH\); CSV and XLSX exports need no browser$/s, (p) => `pas de PDF : Chromium n'est pas installé en ${p} (CHROMIUM_PATH) ; les exports CSV et XLSX n'ont pas besoin de navigateur`],
  [/^no PDF: Chromium at (.*) \(CHROMIUM_PATH\) would not start$/s, (p) => `pas de PDF : Chromium en ${p} (CHROMIUM_PATH) n'a pas démarré`],
  [/^no PDF now: (\d+) are being printed and (\d+) wait \(PDF_CONCURRENCY (\d+)\); try again shortly$/s, (r, w, c) => `pas de PDF pour l'instant : ${r} en cours d'impression et ${w} en attente (PDF_CONCURRENCY ${c}) ; réessayez dans un instant`],
  [/^a credential is needed: Authorization: Bearer <key> \(or X-Api-Key: <key>\)$/s, () => 'une clé est nécessaire : Authorization: Bearer <clé> (ou X-Api-Key: <clé>)'],
  [/^the credential is not a valid key \(unknown, malformed or revoked\)$/s, () => "la clé fournie n'est pas valide (inconnue, mal formée ou révoquée)"],
  [/^role (\S+) may not (\S+) (\S+) \(roles allowed: (.*)\)$/s, (r, m, p, list) => `le rôle ${r} ne peut pas faire ${m} ${p} (rôles autorisés : ${list})`],
  [/^role (\S+) may not (\S+) (\S+)$/s, (r, m, p) => `le rôle ${r} ne peut pas faire ${m} ${p}`],
  [
    /^more than (\d+) requests in (\S+) s for this (key|address) \(API_RATE_LIMIT, API_RATE_WINDOW_SECONDS\): try again in (\S+) s; nothing of this request was stored$/s,
    (n, s, who, again) => `plus de ${n} requêtes en ${s} s pour ${who === 'key' ? 'cette clé' : 'cette adresse'} (API_RATE_LIMIT, API_RATE_WINDOW_SECONDS) : réessayez dans ${again} s${RIEN}`,
  ],
  [/^Cannot (\S+) (.*)$/s, (m, p) => `aucune route ${m} ${p}`],
  [/^the ledger signed no checkpoint yet (.*)$/s, (rest) => `le registre n'a signé aucun point de contrôle pour l'instant ${rest}`],
];

/** The French of one message, or undefined when no rule knows it. A store failure may add its code in parentheses, and `: nothing of this request was stored`. */
export function frenchMessage(message: string): string | undefined {
  const stored = message.endsWith(NOTHING_STORED);
  const core = stored && !/^more than \d+ requests/.test(message) ? message.slice(0, -NOTHING_STORED.length) : message;
  for (const [pattern, french] of RULES) {
    const match = pattern.exec(core);
    if (match) return `${french(...match.slice(1).map((g) => g ?? ''))}${stored && core !== message ? RIEN : ''}`;
  }
  const store = /^(.*?)( \(([A-Z_0-9]+)\))?$/s.exec(core);
  const known = store?.[1] === undefined ? undefined : STORE[store[1]];
  if (known !== undefined) return `${known}${store?.[2] ?? ''}${stored ? RIEN : ''}`;
  return undefined;
}

interface ErrorBody {
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
}

function isErrorBody(body: unknown): body is ErrorBody & { message: string } {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).message === 'string';
}

/**
 * An error answer in French: `message` (and each `errors[].message`) in French where every
 * one is known, `lang` saying which language `message` is in, and `messageEn`, the English
 * as the code wrote it (the one to quote in a bug report or search the code for).
 */
export function inFrench(body: ErrorBody & { message: string }): Record<string, unknown> {
  const errors = Array.isArray(body.errors) ? (body.errors as unknown[]) : undefined;
  const listed = errors?.map((e) => (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }) : undefined));
  if (listed && listed.every((e) => e !== undefined) && listed.length > 0) {
    const french = listed.map((e) => frenchMessage(e.message));
    if (french.every((m): m is string => m !== undefined)) {
      return { ...body, message: french.join(' ; '), errors: listed.map((e, i) => ({ ...e, message: french[i] })), lang: 'fr', messageEn: body.message };
    }
    return { ...body, lang: 'en' };
  }
  const french = frenchMessage(body.message);
  return french === undefined ? { ...body, lang: 'en' } : { ...body, message: french, lang: 'fr', messageEn: body.message };
}

/** The language asked for by `Accept-Language`, among those the errors are given in (English when it names neither). */
export function errorLanguageOf(request: Request): ErrorLanguage {
  // Most requests (ingest clients, scripts) send none: English, without parsing a header that is not there.
  if (request.headers['accept-language'] === undefined) return 'en';
  return request.acceptsLanguages(...ERROR_LANGUAGES) === 'fr' ? 'fr' : 'en';
}

/**
 * Express middleware: when the request prefers French (`Accept-Language: fr`, as the dashboard
 * sends it in French), an error answer (status 400 and up, a JSON body with a `message`) is
 * given in French (`inFrench`). Every error goes through `res.json` (Nest's exception filter,
 * the store-failure filter, the guards, the throttler, the body checks), so one place covers them.
 */
export function errorsInTheLanguageAsked(request: Request, response: Response, next: NextFunction): void {
  response.vary('Accept-Language');
  if (errorLanguageOf(request) === 'fr') {
    const json = response.json.bind(response);
    response.json = (body: unknown) => {
      if (response.statusCode < 400 || !isErrorBody(body)) return json(body);
      const answer = inFrench(body);
      response.setHeader('Content-Language', answer.lang === 'fr' ? 'fr' : 'en');
      return json(answer);
    };
  }
  next();
}
