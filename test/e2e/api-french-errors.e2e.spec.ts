import request from 'supertest';
import type { ApiUnderTest } from '../support/api-under-test';
import { bearer, startApi } from '../support/api-under-test';

const YEAR = { from: '2020-01-01', to: '2020-12-31' };
const FR = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' };

/**
 * The API's errors in the language asked: the dashboard in French sends `Accept-Language: fr`
 * and shows `message`; English stays the default, its answers unchanged.
 */
describe('API errors in French when Accept-Language asks for it', () => {
  let api: ApiUnderTest;
  const http = () => request(api.app.getHttpServer());
  const committee = () => bearer(api.keys.committee);

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2021-06-01T00:00:00Z');
  });
  afterAll(() => api?.close());

  it.each([
    ['/reports', { from: '2020-13-01', to: '2020-12-31' }, 400, 'from doit être un jour du calendrier AAAA-MM-JJ, pas "2020-13-01"'],
    ['/reports', { from: '2020-12-31', to: '2020-01-01' }, 400, 'from (2020-12-31) est après to (2020-01-01)'],
    ['/reports', { ...YEAR, knownAt: 'hier' }, 400, 'le moment (knownAt) doit être un horodatage RFC 3339 avec un décalage, comme 2021-03-15T00:00:00Z : "hier"'],
    ['/reports', { ...YEAR, knownAt: '2030-01-01T00:00:00Z' }, 400, 'le moment (knownAt) 2030-01-01T00:00:00Z est dans le futur (il est 2021-06-01T00:00:00.000Z)'],
    ['/reports', { ...YEAR, format: 'odt' }, 400, 'format doit valoir l\'une de ces valeurs : json, csv, xlsx, pdf (reçu "odt")'],
    ['/reports', { ...YEAR, fromat: 'csv' }, 400, "le paramètre fromat n'existe pas"],
    ['/figures/key.nothing/explain', YEAR, 400, 'identifiant de chiffre inconnu "key.nothing" pour cette période (les identifiants sont les clés des chiffres du rapport)'],
    ['/figures/key.courses-started/explain', { ...YEAR, limit: 'dix' }, 400, 'limit doit être un nombre entier d\'événements, pas "dix"'],
    ['/publications/nope', {}, 404, 'aucune publication scellée "nope" dans le journal'],
  ])('GET %s %j: %i in French, the English kept beside it', async (path, query, status, french) => {
    const english = await http().get(path).query(query).set(committee()).expect(status);
    expect(english.body.lang).toBeUndefined();
    const res = await http().get(path).query(query).set(committee()).set(FR).expect(status);
    expect(res.headers['content-language']).toBe('fr');
    expect(res.headers.vary).toMatch(/Accept-Language/);
    expect(res.body).toEqual({ ...english.body, message: french, lang: 'fr', messageEn: english.body.message, ...(english.body.errors ? { errors: [{ ...english.body.errors[0], message: french }] } : {}) });
  });

  it('the guard\'s refusals too: no key (401), a role that may not (403)', async () => {
    const none = await http().get('/reports').query(YEAR).set(FR).expect(401);
    expect(none.body).toMatchObject({ lang: 'fr', message: 'une clé est nécessaire : Authorization: Bearer <clé> (ou X-Api-Key: <clé>)' });
    const ingest = await http().get('/reports').query(YEAR).set(bearer(api.keys.ingest)).set(FR).expect(403);
    expect(ingest.body).toMatchObject({ lang: 'fr', message: 'le rôle ingest ne peut pas faire GET /reports (rôles autorisés : committee, auditor, admin)' });
  });

  it('several problems: each in French, and the message lists them', async () => {
    const res = await http().get('/reports').query({ to: '2020-12-31', fromat: 'x' }).set(committee()).set(FR).expect(400);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual(["le paramètre fromat n'existe pas", 'from doit être une chaîne de caractères (paramètre manquant ?)']);
    expect(res.body.message).toBe("le paramètre fromat n'existe pas ; from doit être une chaîne de caractères (paramètre manquant ?)");
  });

  it('English when the request prefers it or names neither language; a success is never touched', async () => {
    for (const language of ['en-US,en;q=0.9,fr;q=0.5', 'de-DE']) {
      const res = await http().get('/reports').query({ ...YEAR, knownAt: 'hier' }).set(committee()).set('accept-language', language).expect(400);
      expect([language, res.body.message, res.body.lang]).toEqual([language, expect.stringMatching(/^known-at must be an RFC 3339 timestamp/), undefined]);
    }
    const ok = await http().get('/reports').query(YEAR).set(committee()).set(FR).expect(200);
    expect(Object.keys(ok.body)).toEqual(['period', 'knownAt', 'logPosition', 'figures']);
  });
});
