// The committee's dashboard: reads the ledger's HTTP API with the key given (Bearer) and
// lays its figures out as the published mission report does. Plain ES modules, no build.
// Every string that comes from the API (figure ids, learner ids, messages) is inserted
// with textContent or as an attribute value, never as HTML.

import { lineChart, groupedBars, horizontalBars } from './charts.js';
import { LANGUAGES, MESSAGES, figureLabel as knownLabel, internationalLabel, monthLabel, partnershipLabel, statusLabel, themeLabel } from './i18n.js';

const STATUSES = ['job-seeker', 'low-qualified', 'qpv-resident', 'disability', 'refugee']; // the published table's column order
const SEGMENTS = ['paid-funded', 'employment-program', 'employer-funded'];
const OUTCOMES = ['new-job', 'promotion', 'business-created', 'apprenticeship'];
const EMPLOYER_KINDS = ['apprenticeship', 'employer-abroad', 'pse', 'employer'];
const THEMES = ['web-development', 'systems-networks', 'data', 'marketing-communication', 'soft-skills', 'project-management', 'design', 'other', 'hr-management', 'business', 'productivity', 'pedagogy', 'career-integration'];
const AUDIENCES = ['all', 'job-seeker', 'low-qualified', 'qpv-resident', 'disability', 'refugee'];
const EVENTS_PAGE = 200;
const POLL_MS = 700;
const JOBS_REFRESH_MS = 5000;
const JOBS_SHOWN = 10;
const KEY_STORAGE = 'impact-ledger.key';
const LANG_STORAGE = 'impact-ledger.lang';

const $ = (id) => document.getElementById(id);

const state = {
  lang: 'en',
  key: '',
  me: null,
  report: null,
  catalogue: null, // GET /figures for the view's period: { groups, figures: [{ id, label: { en, fr }, unit, counts, group }] }
  previous: null, // the same period a year earlier, as known at the same moment
  commitments: null, // GET /commitments as known at the report's moment: the levers' targets, as the log records them
  publications: [],
  comparison: null, // { a, b, changed: Map<figure, { a, b }> }
  loading: 0,
  jobs: new Map(),
  polling: new Set(),
  jobsTimer: 0,
};

// ---------------------------------------------------------------- words and numbers

function t(key, params = {}) {
  const text = MESSAGES[state.lang][key] ?? MESSAGES.en[key] ?? key;
  return String(text).replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

const locale = () => (state.lang === 'fr' ? 'fr-FR' : 'en-GB');

function formatNumber(value) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(value);
}
function formatPercent(value, digits = 1) {
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}
/** A figure of the catalogue (GET /figures), or a commitment's part (GET /commitments), by id; undefined for another. */
const entryOf = (id) => state.catalogue?.figures.find((f) => f.id === id) ?? commitmentEntries().find((f) => f.id === id);

const COMMITMENT_PARTS = ['target', 'baseline', 'actual', 'attained'];
const PART_LABELS = {
  en: { target: 'target', baseline: 'baseline', actual: 'actual', attained: 'attained' },
  fr: { target: 'objectif', baseline: 'point de référence', actual: 'résultat', attained: 'atteint' },
};

/**
 * The commitments' figures as catalogue entries, from their CommitmentSet: the target carries
 * the committee's label; a growth's target and actual are shares, an at-least's are in the
 * measured figure's unit (as the report's table reads them).
 */
function commitmentEntries() {
  return (state.commitments?.commitments ?? []).flatMap((c) => {
    const figureUnit = /share$/.test(c.figure) ? 'share' : 'count';
    const unit = { target: c.kind === 'growth-at-least' ? 'share' : figureUnit, baseline: figureUnit, actual: c.kind === 'growth-at-least' ? 'share' : figureUnit, attained: 'count' };
    return COMMITMENT_PARTS.map((part) => ({
      id: `commitments.${c.commitmentId}.${part}`,
      label: part === 'target' ? c.label : { en: `${c.label.en}: ${PART_LABELS.en[part]}`, fr: `${c.label.fr} : ${PART_LABELS.fr[part]}` },
      unit: unit[part],
      counts: `${c.kind} ${c.target} on ${c.figure} (CommitmentSet ${c.setAt.eventId}, position ${c.setAt.position})`,
      group: 'commitments',
    }));
  });
}

/** The catalogue's unit says how a value reads; a figure it does not list is a share when its id says so. */
const isShare = (figure) => (entryOf(figure)?.unit ?? (/share/.test(figure) ? 'share' : 'count')) === 'share';

/**
 * A figure's name in the language: the dashboard's own words for the figures it lays out,
 * else the catalogue's label (a figure registered since: nothing to edit here), else its id.
 */
function figureLabel(id, lang) {
  const known = knownLabel(id, lang);
  if (known !== id) return known;
  return entryOf(id)?.label[lang] ?? id;
}

/** The figures whose null is a status no one was asked about: "not collected", never 0. */
const nullIsNotCollected = (figure) => /^(populations|free-users|mentors)\./.test(figure);

/** A figure's value as the page shows it; null is "not collected" for a population cell, "undefined" elsewhere. */
function formatFigure(figure, value) {
  if (value === null) return nullIsNotCollected(figure) ? t('nc') : '–';
  if (value === undefined) return '–';
  return isShare(figure) ? formatPercent(value) : formatNumber(value);
}

/** An instant as the page shows it: UTC, to the second (milliseconds when there are some). */
function formatInstant(iso) {
  if (!iso) return '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(iso)) return iso; // an offset or another form: as recorded
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms && ms !== '000' ? `.${ms}` : ''} UTC`;
}

/** A datetime-local value, read as UTC, as RFC 3339; '' stays '' (now). */
function inputToInstant(value) {
  if (!value) return '';
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  return `${withSeconds}Z`;
}
/** An RFC 3339 instant as a datetime-local value (UTC). */
function instantToInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const s = d.toISOString();
  return s.endsWith('.000Z') ? s.slice(0, 19) : s.slice(0, 23);
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, message, field, data) {
    super(message);
    this.status = status;
    this.field = field;
    this.data = data;
  }
}

async function api(path, { method = 'GET', body, key = state.key } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      cache: 'no-store',
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, t('error.unreachable', { message: error instanceof Error ? error.message : String(error) }));
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const raw = data && data.message !== undefined ? data.message : response.statusText;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
    throw new ApiError(response.status, message, data && typeof data.field === 'string' ? data.field : undefined, data);
  }
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

/** An API error for a person: a refused key sends them back to the key prompt. */
function describe(error) {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 0) return error.message;
  if (error.status === 403) return t('error.forbidden', { message: error.message });
  return t('error.http', { status: error.status, message: error.field ? `${error.message} (${error.field})` : error.message });
}

function fail(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut(t('login.refused', { message: error.message }));
    return;
  }
  showError(describe(error));
}

function showError(message) {
  const banner = $('error');
  banner.textContent = message;
  banner.hidden = !message;
}

// ---------------------------------------------------------------- small DOM helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

const changed = () => state.comparison?.changed ?? new Map();

/**
 * A figure as a link to its provenance. data-figure is its id, data-value its raw value;
 * when a comparison is shown and the figure differs, its value at A is shown struck through.
 */
function figure(id, { value = state.report?.figures[id], big = false, none } = {}) {
  // `none`: what a null says here ("no baseline", "not collected"), never 0.
  const text = value === null && none !== undefined ? none : formatFigure(id, value);
  const difference = changed().get(id);
  const link = h('a', {
    class: `figure${big ? ' big-figure' : ''}${value === null ? ' nc' : ''}${difference ? ' changed' : ''}`,
    href: `#explain=${encodeURIComponent(id)}`,
    'data-figure': id,
    'data-value': value === null ? 'null' : value === undefined ? '' : String(value),
    title: difference ? t('changed.title', { a: formatFigure(id, difference.a), b: formatFigure(id, difference.b) }) : `${figureLabel(id, state.lang)} (${id})`,
    // A number alone says little to a screen reader: the link is named for the figure, and what it opens.
    'aria-label': `${value === null && nullIsNotCollected(id) && none === undefined ? t('nc.title') : text}, ${figureLabel(id, state.lang)}${difference ? `, ${t('changed.title', { a: formatFigure(id, difference.a), b: formatFigure(id, difference.b) })}` : ''}: ${t('prov.heading')}`,
  });
  if (value === null && nullIsNotCollected(id) && none === undefined) link.append(h('abbr', { title: t('nc.title'), text }));
  else link.textContent = text;
  if (!difference) return link;
  return h('span', { class: 'was-now' }, h('del', { class: 'was', text: formatFigure(id, difference.a), title: 'A' }), ' ', link);
}

function clear(node) {
  node.replaceChildren();
  return node;
}

// ---------------------------------------------------------------- rendering

function renderStatic() {
  document.documentElement.lang = state.lang;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
  for (const button of document.querySelectorAll('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  if (state.me) {
    $('who').textContent = t('who', { name: state.me.name, role: t(`role.${state.me.role}`) });
  }
}

function renderPopulations() {
  const table = $('populations-table');
  const head = clear(table.tHead);
  head.append(h('tr', {}, h('td', {}), h('th', { scope: 'col', text: t('col.total') }), ...STATUSES.map((s) => h('th', { scope: 'col', text: t(`col.${s}`) }))));
  const body = clear(table.tBodies[0]);
  const row = (segment, cls) =>
    h(
      'tr',
      { class: cls },
      h('th', { scope: 'row', text: t(`row.${segment}`) }),
      h('td', {}, figure(`populations.${segment}.total`)),
      ...STATUSES.map((s) => h('td', {}, figure(`populations.${segment}.${s}`))),
    );
  // As in the published report: the paid path, then its funded learners; the employment program; the employer-funded.
  body.append(h('tr', { class: 'group' }, h('th', { scope: 'rowgroup', colspan: 1 + 1 + STATUSES.length, text: t('row.paid-path') })));
  body.append(row('paid-funded', 'indent'));
  body.append(row('employment-program'));
  body.append(row('employer-funded'));
  body.append(
    h('tr', { class: 'total' }, h('th', { scope: 'row', text: t('row.all') }), h('td', {}), ...STATUSES.map((s) => h('td', {}, figure(`populations.all.${s}`)))),
  );
  body.append(
    h('tr', { class: 'net' }, h('th', { scope: 'row', text: t('row.net') }), h('td', {}, figure('populations.net-distinct')), h('td', { colspan: STATUSES.length })),
  );
}

function renderImpact() {
  clear($('impact-value')).append(figure('impact.positive-progressions', { big: true }));
  const list = clear($('impact-outcomes'));
  for (const outcome of OUTCOMES) list.append(h('li', {}, h('span', { text: t(`outcome.${outcome}`) }), figure(`impact.by-outcome.${outcome}`)));
}

function months(report) {
  return Object.keys(report.figures)
    .map((id) => /^funding\.(\d{4}-\d{2})\.funded-share$/.exec(id)?.[1])
    .filter(Boolean)
    .sort();
}

function pairs(list, ids, labelOf) {
  for (const id of ids) list.append(h('div', { class: 'pair' }, h('dt', { text: labelOf(id) }), h('dd', {}, figure(id))));
}

function renderKeyFigures() {
  const list = clear($('key-list'));
  pairs(list, ['key.certificates', 'key.courses-started', 'key.courses-started.monthly-avg', 'key.active-learners.monthly-avg', 'key.women-share.free-users', 'survey.responses'], (id) =>
    figureLabel(id, state.lang),
  );
}

/** The commitments of a lever as known at the report's moment (GET /commitments): its targets come from the log only. */
const commitmentsOf = (leverName) => (state.commitments?.commitments ?? []).filter((c) => c.lever === leverName);

/** A lever's targets: each commitment's label and target (a link to its CommitmentSet), or that none is recorded. */
function objectives(name) {
  const commitments = commitmentsOf(name);
  if (commitments.length === 0) return [h('p', { class: 'objective muted', 'data-commitments': 'none', text: t('objective.none') })];
  return commitments.map((c) =>
    h('p', { class: 'objective', 'data-commitment': c.commitmentId }, t('objective', { objective: c.label[state.lang] ?? c.label.en }), ' (', figure(`commitments.${c.commitmentId}.target`), ')'),
  );
}

function lever(name, text, ...content) {
  return h(
    'article',
    { class: 'lever', 'aria-labelledby': `lever-${name}` },
    h('h3', { id: `lever-${name}`, text: t(`lever.${name}`) }),
    ...objectives(name),
    h('p', { class: 'help', text }),
    ...content,
  );
}

/** The funded share the committee set as a level (an at-least commitment on a month's funded share), if any. */
function fundedShareTarget() {
  const c = commitmentsOf('funding').find((x) => x.kind === 'at-least' && /^funding\.\d{4}-\d{2}\.funded-share$/.test(x.figure));
  return c?.target;
}

function renderLevers() {
  const report = state.report;
  const f = report.figures;
  const list = clear($('lever-list'));

  const awareness = h('dl', { class: 'pairs' });
  pairs(awareness, AUDIENCES.map((a) => `awareness.recipients.${a}`), (id) => statusLabel(id.split('.').pop(), state.lang));
  list.append(lever('awareness', t('lever.awareness.text'), awareness));

  const ms = months(report);
  const last = ms[ms.length - 1];
  const first = ms[0];
  const funding = h('dl', { class: 'pairs' });
  if (last) {
    const share = f[`funding.${last}.funded-share`];
    const target = fundedShareTarget();
    const met = typeof share === 'number' && typeof target === 'number' && share >= target;
    funding.append(
      h(
        'div',
        { class: 'pair headline' },
        h('dt', { text: figureLabel(`funding.${last}.funded-share`, state.lang) }),
        h('dd', {}, figure(`funding.${last}.funded-share`), ' ', typeof share === 'number' && typeof target === 'number' ? h('span', { class: `badge ${met ? 'ok' : 'ko'}`, text: t(met ? 'target.met' : 'target.missed') }) : null),
      ),
    );
    if (first && first !== last) pairs(funding, [`funding.${first}.funded-share`], (id) => figureLabel(id, state.lang));
    pairs(funding, [`funding.${last}.in-training`, `funding.${last}.third-party`, `funding.${last}.employment-program`, `funding.${last}.self`], (id) => figureLabel(id, state.lang));
  }
  list.append(lever('funding', t('lever.funding.text'), funding));

  const partnerships = h('dl', { class: 'pairs' });
  const prevYear = state.previous?.period.from.slice(0, 4);
  const total = h('div', { class: 'pair headline' }, h('dt', { text: partnershipLabel('total', state.lang) }), h('dd', {}, figure('partnerships.total')));
  const prevTotal = state.previous?.figures['partnerships.total'];
  if (typeof prevTotal === 'number') {
    const cur = f['partnerships.total'];
    const growth = typeof cur === 'number' && prevTotal > 0 ? ` (${cur >= prevTotal ? '+' : ''}${formatPercent((cur - prevTotal) / prevTotal, 0)})` : '';
    total.lastChild.append(h('span', { class: 'muted', text: ` ${t('vs', { prev: formatNumber(prevTotal), year: prevYear })}${growth}` }));
  }
  partnerships.append(total);
  pairs(partnerships, [...EMPLOYER_KINDS, 'partner-employers'].map((k) => `partnerships.${k}`), (id) => partnershipLabel(id.split('.').pop(), state.lang));
  list.append(lever('partnerships', t('lever.partnerships.text'), partnerships));

  const international = h('dl', { class: 'pairs' });
  pairs(
    international,
    ['admitted-learners', 'admitted-outside-france', 'english-path-learners', 'english-path-underemployed'].map((k) => `international.${k}`),
    (id) => internationalLabel(id.split('.').pop(), state.lang),
  );
  list.append(lever('international', t('lever.international.text'), international));
}

function dataTable(caption, columns, rows) {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', { text: t('chart.data') }),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden', text: caption }),
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, ...rows.map(([label, ...cells]) => h('tr', {}, h('th', { scope: 'row', text: label }), ...cells.map((c) => h('td', {}, c))))),
    ),
  );
}

function renderCharts() {
  const report = state.report;
  const f = report.figures;

  const funding = clear($('chart-funding'));
  const target = fundedShareTarget();
  const fundingTitle = typeof target === 'number' ? t('chart.funding.target', { target: formatPercent(target, 0) }) : t('chart.funding');
  funding.append(h('figcaption', { text: fundingTitle }));
  const ms = months(report);
  if (ms.length === 0) funding.append(h('p', { class: 'help', text: t('chart.empty') }));
  else {
    const points = ms.map((m) => {
      const id = `funding.${m}.funded-share`;
      return { label: monthLabel(m, state.lang), short: MESSAGES[state.lang].months[Number(m.slice(5)) - 1], value: f[id], figure: id, text: formatFigure(id, f[id]) };
    });
    funding.append(lineChart({ title: fundingTitle, points, target, targetLabel: typeof target === 'number' ? t('chart.target', { target: formatPercent(target, 0) }) : '', format: (v, d) => formatPercent(v, d), changed: changed() }));
    funding.append(
      dataTable(fundingTitle, [t('chart.month'), t('chart.share'), figureLabel(`funding.${ms[0]}.in-training`, state.lang).split(',')[0]], ms.map((m) => [monthLabel(m, state.lang), figure(`funding.${m}.funded-share`), figure(`funding.${m}.in-training`)])),
    );
  }

  const partnerships = clear($('chart-partnerships'));
  const cur = report.period.from.slice(0, 4);
  const prev = state.previous?.period.from.slice(0, 4) ?? String(Number(cur) - 1);
  const partnershipsTitle = t('chart.partnerships', { prev, cur });
  partnerships.append(h('figcaption', { text: partnershipsTitle }));
  const series = [
    { name: prev, cls: 'series-a' },
    { name: cur, cls: 'series-b' },
  ];
  const groups = EMPLOYER_KINDS.map((kind) => {
    const id = `partnerships.${kind}`;
    const bars = [];
    const before = state.previous?.figures[id];
    bars.push({ value: before ?? 0, raw: before, figure: `prev:${id}`, text: before === undefined ? '–' : formatFigure(id, before), series: prev });
    bars.push({ value: f[id] ?? 0, raw: f[id], figure: id, text: formatFigure(id, f[id]), series: cur });
    return { label: partnershipLabel(kind, state.lang), bars };
  });
  const chart = groupedBars({ title: partnershipsTitle, groups, series, changed: changed() });
  partnerships.append(chart);
  partnerships.append(
    dataTable(
      partnershipsTitle,
      [t('chart.kind'), prev, cur],
      [...EMPLOYER_KINDS, 'total'].map((kind) => [partnershipLabel(kind, state.lang), previousFigure(`partnerships.${kind}`), figure(`partnerships.${kind}`)]),
    ),
  );

  const themes = clear($('chart-themes'));
  const themesTitle = t('chart.themes');
  themes.append(h('figcaption', { text: themesTitle }));
  const all = f['key.courses-started'];
  const share = (v) => (typeof v === 'number' && typeof all === 'number' && all > 0 ? ` (${formatPercent(v / all)})` : '');
  const rows = THEMES.filter((theme) => f[`key.courses-started.${theme}`] !== undefined).map((theme) => {
    const id = `key.courses-started.${theme}`;
    return { label: themeLabel(theme, state.lang), value: f[id], figure: id, text: `${formatFigure(id, f[id])}${share(f[id])}` };
  });
  themes.append(horizontalBars({ title: themesTitle, rows, changed: changed() }));
  themes.append(dataTable(themesTitle, [t('chart.theme'), t('chart.count'), t('chart.share')], THEMES.map((theme) => [themeLabel(theme, state.lang), figure(`key.courses-started.${theme}`), share(f[`key.courses-started.${theme}`]).replace(/[()]/g, '').trim()])));
}

/** A figure of the year before: a link to its provenance over that period. */
function previousFigure(id) {
  const value = state.previous?.figures[id];
  return h('a', {
    class: 'figure',
    href: `#explain=${encodeURIComponent(`prev:${id}`)}`,
    'data-figure': `prev:${id}`,
    'data-value': value === null ? 'null' : value === undefined ? '' : String(value),
    text: formatFigure(id, value),
  });
}

function renderStatus() {
  const r = state.report;
  $('status').textContent = r
    ? t('status', { from: r.period.from, to: r.period.to, knownAt: formatInstant(r.knownAt), position: formatNumber(r.logPosition) })
    : '';
}

function renderPublications() {
  const list = clear($('publication-list'));
  if (state.publications.length === 0) list.append(h('span', { class: 'muted', text: t('publications.none') }));
  for (const p of state.publications) {
    const knownAt = p.report?.knownAt;
    list.append(
      h('button', {
        type: 'button',
        class: 'chip',
        'data-known-at': knownAt,
        'data-publication': p.publicationId,
        title: `${p.publicationId}: ${p.report?.period?.from} – ${p.report?.period?.to}, seal ${p.seal?.treeSize} / ${p.seal?.merkleRoot}`,
        text: t('publication.button', { id: p.publicationId, knownAt: formatInstant(knownAt) }),
      }),
    );
  }
  const select = $('audit-published');
  const chosen = select.value;
  clear(select).append(h('option', { value: '', text: t('jobs.published.none') }));
  for (const p of state.publications) select.append(h('option', { value: p.publicationId, text: p.publicationId }));
  select.value = state.publications.some((p) => p.publicationId === chosen) ? chosen : '';
}

/**
 * Every figure of the catalogue, by display group (its title in the language), each with
 * its label and its value as a link to its provenance: a KPI registered since the page was
 * written shows here with no edit to it.
 */
function renderAllFigures() {
  const list = clear($('all-figures-list'));
  const catalogue = state.catalogue;
  if (!catalogue) return;
  for (const group of catalogue.groups) {
    const entries = catalogue.figures.filter((f) => f.group === group.id && state.report.figures[f.id] !== undefined);
    if (entries.length === 0) continue;
    const pairsList = h('dl', { class: 'pairs' });
    for (const entry of entries) {
      pairsList.append(h('div', { class: 'pair', title: entry.counts }, h('dt', { text: entry.label[state.lang] ?? entry.id }), h('dd', {}, figure(entry.id))));
    }
    list.append(
      h('section', { class: 'figure-group', 'data-group': group.id, 'aria-labelledby': `group-${group.id}` }, h('h3', { id: `group-${group.id}`, text: group.title[state.lang] ?? group.id }), pairsList),
    );
  }
}

/** The catalogue's figures of a display group that the report gives. */
const presentIn = (group) => (state.catalogue?.figures ?? []).filter((entry) => entry.group === group && state.report.figures[entry.id] !== undefined);

/** A KPIS v2 section beside the populations (or after the levers): shown only when the report has its figures. */
function renderGroupSection(section, listId, group) {
  const entries = presentIn(group);
  $(section).hidden = entries.length === 0;
  const list = clear($(listId));
  for (const entry of entries) list.append(h('div', { class: 'pair', title: entry.counts }, h('dt', { text: entry.label[state.lang] ?? entry.id }), h('dd', {}, figure(entry.id))));
}

/** "Données disponibles": each segment's learners, and the share of them whose statuses were asked. */
function renderCoverage() {
  const segments = presentIn('coverage')
    .map((entry) => /^populations\.(.+)\.members$/.exec(entry.id)?.[1])
    .filter(Boolean);
  $('coverage').hidden = segments.length === 0;
  const table = $('coverage-table');
  clear(table.tHead).append(h('tr', {}, h('td', {}), h('th', { scope: 'col', text: t('coverage.members') }), h('th', { scope: 'col', text: t('coverage.assessed') })));
  clear(table.tBodies[0]).append(
    ...segments.map((segment) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: SEGMENTS.includes(segment) ? t(`row.${segment}`) : entryOf(`populations.${segment}.members`)?.label[state.lang] ?? segment }),
        h('td', { class: 'num' }, figure(`populations.${segment}.members`)),
        h('td', { class: 'num' }, figure(`populations.${segment}.assessed-share`)),
      ),
    ),
  );
}

/**
 * The committee's "Levier / Objectif / Données disponibles / Résultats": one row per
 * commitment known at the moment shown, its label in both languages from its CommitmentSet,
 * its figures from the report; a missing value is said ("no baseline", "not collected"), never 0.
 */
function renderCommitments() {
  const table = $('commitments-table');
  const commitments = state.commitments?.commitments ?? [];
  $('commitments-none').hidden = commitments.length > 0;
  table.hidden = commitments.length === 0;
  const columns = ['label', 'target', 'baseline', 'actual', 'attained', 'data'];
  clear(table.tHead).append(h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', text: t(`commitments.col.${c}`) }))));
  const f = state.report.figures;
  clear(table.tBodies[0]).append(
    ...commitments.map((c) => {
      const id = (part) => `commitments.${c.commitmentId}.${part}`;
      const growth = c.kind === 'growth-at-least';
      const baseline = f[id('baseline')];
      const noBaseline = growth && (baseline === null || baseline === 0);
      const missing = f[id('actual')] === null ? (noBaseline ? 'no-baseline' : 'not-collected') : 'available';
      const attained = f[id('attained')];
      return h(
        'tr',
        { 'data-commitment': c.commitmentId, 'data-lever': c.lever },
        h('th', { scope: 'row' }, h('span', { lang: 'fr', text: c.label.fr }), ' / ', h('span', { lang: 'en', text: c.label.en })),
        h('td', {}, figure(id('target'))),
        // An at-least target has no baseline by definition: "–", not "no baseline".
        h('td', { class: baseline === null ? 'said' : undefined }, figure(id('baseline'), { none: growth ? t('commitments.no-baseline') : '–' })),
        h('td', { class: f[id('actual')] === null ? 'said' : undefined }, figure(id('actual'), { none: t(`commitments.${missing}`) })),
        h('td', {}, figure(id('attained'), { none: '–' })),
        h('td', { 'data-coverage': missing, text: t(`commitments.${missing}`) }),
      );
    }),
  );
  // "Attained" reads yes / no: the link keeps the raw 1 / 0 as its data-value.
  for (const link of table.querySelectorAll('td:nth-child(5) a[data-figure]')) {
    const v = link.getAttribute('data-value');
    if (v === '1' || v === '0') link.textContent = t(v === '1' ? 'commitments.yes' : 'commitments.no');
  }
}

function renderReport() {
  renderStatus();
  if (!state.report) return;
  renderPopulations();
  renderCoverage();
  renderGroupSection('free-users', 'free-users-list', 'free-users');
  renderGroupSection('mentors', 'mentors-list', 'mentors');
  renderGroupSection('outcomes', 'outcomes-list', 'outcomes');
  renderCommitments();
  renderImpact();
  renderKeyFigures();
  renderLevers();
  renderCharts();
  renderAllFigures();
}

function renderAll() {
  renderStatic();
  renderPublications();
  renderReport();
  renderComparison();
  renderJobs();
}

// ---------------------------------------------------------------- loading a report

function shiftYear(day, years) {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y + years, m - 1, 1));
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  date.setUTCDate(Math.min(d, lastDay));
  return date.toISOString().slice(0, 10);
}

function viewRequest() {
  return { from: $('from').value, to: $('to').value, knownAt: inputToInstant($('known-at').value) };
}

async function fetchReport({ from, to, knownAt }) {
  return api(`/reports?${query({ from, to, knownAt })}`);
}

/** The commitments of a period as known at a moment (GET /commitments): labels, levers and targets, from the log. */
async function fetchCommitments({ from, to, knownAt }) {
  return api(`/commitments?${query({ from, to, knownAt })}`);
}

/** The figure catalogue of a period as known at the moment asked (GET /figures): what every figure is, and where it is shown; the commitments' labels as the log gave them then. */
async function fetchCatalogue({ from, to, knownAt }) {
  return api(`/figures?${query({ from, to, knownAt })}`);
}

/** The report for the view (and the year before, for the side-by-side chart), as known at the moment chosen. */
async function loadReport({ keepComparison = false } = {}) {
  const request = viewRequest();
  const generation = ++state.loading;
  $('report').setAttribute('aria-busy', 'true');
  $('status').textContent = t('loading');
  try {
    const [report, catalogue] = await Promise.all([fetchReport(request), fetchCatalogue(request)]);
    // The year before, as known at the same instant (the report's own knownAt, so "now" is one moment).
    const previous = await fetchReport({ from: shiftYear(request.from, -1), to: shiftYear(request.to, -1), knownAt: report.knownAt }).catch((error) => {
      if (error instanceof ApiError && error.status === 401) throw error;
      return null;
    });
    // The commitments as known at the report's own instant: "now" is one moment for both.
    const commitments = await fetchCommitments({ from: request.from, to: request.to, knownAt: report.knownAt });
    if (generation !== state.loading) return;
    state.report = report;
    state.commitments = commitments;
    state.catalogue = catalogue;
    state.previous = previous;
    if (!keepComparison) state.comparison = null;
    showError('');
    renderReport();
    renderComparison();
  } catch (error) {
    if (generation !== state.loading) return;
    renderStatus();
    fail(error);
  } finally {
    if (generation === state.loading) $('report').setAttribute('aria-busy', 'false');
  }
}

async function loadPublications() {
  try {
    const publications = await api('/publications');
    state.publications = Array.isArray(publications) ? publications : [];
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw error;
    state.publications = [];
  }
  renderPublications();
  if (!$('moment-a').value) {
    const first = state.publications[0]?.report?.knownAt;
    $('moment-a').value = instantToInput(first ?? '2021-03-15T00:00:00Z');
  }
}

// ---------------------------------------------------------------- comparing two moments

async function compare() {
  const a = inputToInstant($('moment-a').value);
  const b = inputToInstant($('moment-b').value);
  if (!a) {
    $('moment-a').focus();
    return;
  }
  const { from, to } = viewRequest();
  const result = clear($('compare-result'));
  result.append(h('p', { class: 'status', text: t('loading') }));
  try {
    const [reportA, reportB] = await Promise.all([fetchReport({ from, to, knownAt: a }), fetchReport({ from, to, knownAt: b })]);
    const ids = [...new Set([...Object.keys(reportB.figures), ...Object.keys(reportA.figures)])];
    const differences = new Map();
    for (const id of ids) {
      const va = reportA.figures[id];
      const vb = reportB.figures[id];
      if (va !== vb) differences.set(id, { a: va, b: vb });
    }
    state.comparison = { a: reportA, b: reportB, changed: differences };
    // The dashboard now shows B, with every changed figure highlighted.
    $('known-at').value = b ? instantToInput(reportB.knownAt) : '';
    state.report = reportB;
    state.commitments = await fetchCommitments({ from, to, knownAt: reportB.knownAt });
    state.previous = await fetchReport({ from: shiftYear(from, -1), to: shiftYear(to, -1), knownAt: reportB.knownAt }).catch(() => null);
    showError('');
    renderReport();
    renderComparison();
  } catch (error) {
    clear(result);
    fail(error);
  }
}

function renderComparison() {
  const result = clear($('compare-result'));
  const comparison = state.comparison;
  $('compare-clear').hidden = !comparison;
  if (!comparison) return;
  const { a, b, changed: differences } = comparison;
  const params = { n: differences.size, a: formatInstant(a.knownAt), pa: formatNumber(a.logPosition), b: formatInstant(b.knownAt), pb: formatNumber(b.logPosition) };
  result.append(h('p', { class: 'status', id: 'compare-summary', text: t(differences.size ? 'compare.summary' : 'compare.none', params) }));
  if (differences.size === 0) return;
  const rows = [...differences.entries()].map(([id, { a: va, b: vb }]) => {
    const delta = typeof va === 'number' && typeof vb === 'number' ? vb - va : null;
    return h(
      'tr',
      { 'data-changed': id },
      h('th', { scope: 'row' }, h('span', { text: figureLabel(id, state.lang) }), h('br'), h('code', { text: id })),
      h('td', { class: 'num', 'data-side': 'a', text: formatFigure(id, va) }),
      h('td', { class: 'num', 'data-side': 'b' }, h('a', { class: 'figure changed', href: `#explain=${encodeURIComponent(id)}`, 'data-figure': id, 'data-value': vb === null ? 'null' : String(vb ?? ''), text: formatFigure(id, vb) })),
      h('td', { class: 'num', text: delta === null ? '–' : `${delta > 0 ? '+' : ''}${isShare(id) ? formatPercent(delta, 2) : formatNumber(delta)}` }),
      h('td', {}, h('button', { type: 'button', class: 'secondary small', 'data-diff': id, text: t('compare.events') })),
    );
  });
  result.append(
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'changes', id: 'changes-table' },
        h('caption', { class: 'visually-hidden', text: t('compare.heading') }),
        h(
          'thead',
          {},
          h('tr', {}, ...['compare.col.figure', 'compare.col.a', 'compare.col.b', 'compare.col.delta', 'compare.col.events'].map((k) => h('th', { scope: 'col', text: t(k) }))),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

// ---------------------------------------------------------------- provenance

let opener = null;

function openDialog(title) {
  const dialog = $('provenance');
  $('prov-title').textContent = title;
  if (!dialog.open) {
    opener = document.activeElement;
    dialog.showModal();
  }
  $('prov-close').focus();
  return clear($('prov-body'));
}

function eventsTable(events, id) {
  const columns = ['position', 'eventId', 'type', 'learnerId', 'occurredAt', 'recordedAt'];
  const body = h('tbody');
  const wrap = h('div', { class: 'events' });
  const table = h(
    'table',
    { class: 'events-table', id },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', text: t(`prov.col.${c}`) })))),
    body,
  );
  const more = h('button', { type: 'button', class: 'secondary small' });
  const count = h('p', { class: 'help' });
  let shown = 0;
  const showMore = () => {
    const next = events.slice(shown, shown + EVENTS_PAGE);
    for (const e of next) {
      body.append(
        h(
          'tr',
          {},
          h('td', { class: 'num', text: String(e.position) }),
          h('td', {}, h('code', { text: String(e.eventId) })),
          h('td', { text: String(e.type) }),
          h('td', {}, h('code', { text: e.learnerId === null || e.learnerId === undefined ? '–' : String(e.learnerId) })),
          h('td', {}, h('time', { datetime: String(e.occurredAt), text: String(e.occurredAt) })),
          h('td', {}, h('time', { datetime: String(e.recordedAt), text: String(e.recordedAt) })),
        ),
      );
    }
    shown += next.length;
    count.textContent = shown < events.length ? t('prov.showing', { shown: formatNumber(shown), total: formatNumber(events.length) }) : '';
    more.hidden = shown >= events.length;
    more.textContent = t('prov.more', { n: formatNumber(Math.min(EVENTS_PAGE, events.length - shown)) });
  };
  more.addEventListener('click', showMore);
  showMore();
  wrap.append(h('div', { class: 'table-scroll' }, table), count, more);
  return wrap;
}

/** "prev:<id>" is a figure of the year before the view. */
function resolveFigure(ref) {
  if (ref.startsWith('prev:')) {
    const id = ref.slice(5);
    const period = state.previous?.period ?? { from: shiftYear(state.report.period.from, -1), to: shiftYear(state.report.period.to, -1) };
    return { id, period, knownAt: state.report.knownAt };
  }
  return { id: ref, period: state.report.period, knownAt: state.report.knownAt };
}

/** A provenance panel whose request failed: a refused key ends the session, anything else is said in the panel. */
function panelFailed(body, error) {
  clear(body);
  if (error instanceof ApiError && error.status === 401) {
    $('provenance').close();
    fail(error);
    return;
  }
  body.append(h('p', { class: 'error-text', role: 'alert', text: describe(error) }));
}

/** The events a provenance panel lists at most; the panel shows them 200 at a time. */
const EXPLAIN_LIMIT = 1000;

async function explain(ref) {
  if (!state.report) return;
  const { id, period, knownAt } = resolveFigure(ref);
  const body = openDialog(`${t('prov.heading')} · ${figureLabel(id, state.lang)}`);
  body.append(h('p', { class: 'status', text: t('prov.loading') }));
  try {
    // A count of millions of events lists only its first ones: the figure says how many there are.
    const p = await api(`/figures/${encodeURIComponent(id)}/explain?${query({ from: period.from, to: period.to, knownAt, limit: String(EXPLAIN_LIMIT) })}`);
    clear(body);
    const facts = h('dl', { class: 'facts' });
    const fact = (label, value) => facts.append(h('div', {}, h('dt', { text: label }), h('dd', {}, value)));
    fact(t('prov.figure'), h('code', { text: String(p.figure) }));
    fact(t('prov.value'), h('strong', { id: 'prov-value', text: formatFigure(String(p.figure), p.value) }));
    fact(t('prov.rule'), h('span', { id: 'prov-rule', text: String(p.rule) }));
    fact(t('prov.period'), `${p.period.from} – ${p.period.to}`);
    fact(t('prov.knownAt'), formatInstant(p.knownAt));
    fact(t('prov.logPosition'), formatNumber(p.logPosition));
    body.append(facts);
    const count = typeof p.eventCount === 'number' ? p.eventCount : p.events.length;
    body.append(h('h3', { id: 'prov-count', text: t('prov.events', { n: formatNumber(count) }) }));
    if (count > p.events.length) body.append(h('p', { class: 'help', text: t('prov.first', { n: formatNumber(p.events.length) }) }));
    body.append(eventsTable(p.events, 'prov-events'));
  } catch (error) {
    panelFailed(body, error);
  }
}

/** The events that changed a figure from A to B: its provenance at both moments, side by side. */
async function explainDifference(id) {
  const comparison = state.comparison;
  if (!comparison) return;
  const body = openDialog(t('diff.heading', { figure: figureLabel(id, state.lang) }));
  body.append(h('p', { class: 'status', text: t('prov.loading') }));
  const { from, to } = comparison.b.period;
  try {
    // The API reads only the events recorded between A and B: a count of millions costs no more than a few.
    const change = await api(`/figures/${encodeURIComponent(id)}/changes?${query({ from, to, knownAtA: comparison.a.knownAt, knownAtB: comparison.b.knownAt })}`);
    clear(body);
    const recorded = change.added;
    const retracted = change.retracted.map((r) => r.event);
    const facts = h('dl', { class: 'facts' });
    const fact = (label, value) => facts.append(h('div', {}, h('dt', { text: label }), h('dd', {}, value)));
    fact(t('prov.figure'), h('code', { text: id }));
    fact('A', `${formatFigure(id, change.a.value)} · ${formatInstant(change.a.knownAt)} · ${t('prov.logPosition')} ${formatNumber(change.a.logPosition)}`);
    fact('B', `${formatFigure(id, change.b.value)} · ${formatInstant(change.b.knownAt)} · ${t('prov.logPosition')} ${formatNumber(change.b.logPosition)}`);
    fact(t('prov.rule'), String(change.rule));
    body.append(facts);
    if (recorded.length === 0 && retracted.length === 0) body.append(h('p', { id: 'diff-none', text: t('diff.none') }));
    if (recorded.length > 0) {
      body.append(h('h3', { class: 'added', text: t('diff.recorded', { n: formatNumber(recorded.length) }) }));
      body.append(eventsTable(recorded, 'diff-recorded'));
    }
    if (retracted.length > 0) {
      body.append(h('h3', { class: 'removed', text: t('diff.retracted', { n: formatNumber(retracted.length) }) }));
      body.append(eventsTable(retracted, 'diff-retracted'));
    }
  } catch (error) {
    panelFailed(body, error);
  }
}

// ---------------------------------------------------------------- audits and rebuilds

/** The jobs this key may see (GET /jobs: those of its role, every one for an admin), each running one followed. */
async function refreshJobs() {
  if (!state.me || !canAudit()) return;
  try {
    const jobs = await api('/jobs');
    if (!Array.isArray(jobs)) return;
    for (const job of jobs) {
      if (!job || typeof job.id !== 'string') continue;
      if (!state.polling.has(job.id)) state.jobs.set(job.id, job);
      if (job.state === 'running') poll(job.id);
    }
    renderJobs();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) fail(error);
  }
}

async function startJob(path, body) {
  try {
    const { jobId } = await api(path, { method: 'POST', body });
    state.jobs.set(jobId, { id: jobId, kind: path === '/audits' ? 'audit' : 'rebuild', state: 'running', progress: { phase: '…', done: 0, total: 0 } });
    renderJobs();
    poll(jobId);
  } catch (error) {
    // One job of a kind runs at a time: the API names the one running, which is then followed.
    if (error instanceof ApiError && error.status === 409 && typeof error.data?.jobId === 'string') {
      showError(describe(error));
      poll(error.data.jobId);
      return;
    }
    fail(error);
  }
}

/** Follows a job (GET /jobs/{id}) until it is done or failed. */
async function poll(jobId) {
  if (state.polling.has(jobId)) return;
  state.polling.add(jobId);
  const key = state.key;
  try {
    while (state.key && state.key === key) {
      let job;
      try {
        job = await api(`/jobs/${encodeURIComponent(jobId)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return fail(error);
        if (error instanceof ApiError && error.status === 404) {
          state.jobs.delete(jobId);
          renderJobs();
          return;
        }
        state.jobs.set(jobId, { ...(state.jobs.get(jobId) ?? { id: jobId }), pollError: describe(error) });
        renderJobs();
        await new Promise((r) => setTimeout(r, POLL_MS * 3));
        continue;
      }
      state.jobs.set(jobId, job);
      renderJobs();
      if (job.state !== 'running') return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    state.polling.delete(jobId);
  }
}

const canAudit = () => state.me?.role === 'auditor' || state.me?.role === 'admin';

function renderJobs() {
  const list = clear($('job-list'));
  const latestFirst = [...state.jobs.values()].sort((a, b) => String(b.startedAt ?? '9').localeCompare(String(a.startedAt ?? '9')));
  for (const job of latestFirst.slice(0, JOBS_SHOWN)) {
    const progress = job.progress ?? { phase: '', done: 0, total: 0 };
    const total = Number(progress.total) || 0;
    const done = Number(progress.done) || 0;
    const bar = h('progress', { max: total > 0 ? total : 1, 'aria-label': `${job.kind} ${job.id}` });
    if (job.state === 'done') bar.value = total > 0 ? total : 1;
    else if (total > 0) bar.value = Math.min(done, total);
    else bar.removeAttribute('value'); // indeterminate
    const item = h(
      'li',
      { class: `job ${job.state ?? ''}`, 'data-job': job.id, 'data-state': job.state ?? '' },
      h('p', {}, h('strong', { text: t('jobs.line', { kind: t(`jobs.kind.${job.kind}`), id: job.id, state: t(`jobs.state.${job.state ?? 'running'}`) }) })),
      job.startedAt ? h('p', { class: 'help', text: t('jobs.started', { at: formatInstant(String(job.startedAt)), by: String(job.startedBy?.name ?? '?') }) + (job.finishedAt ? ` · ${t('jobs.finished', { at: formatInstant(String(job.finishedAt)) })}` : '') }) : null,
      bar,
      h('p', { class: 'help', text: t('jobs.phase', { phase: String(progress.phase ?? ''), done: formatNumber(done), total: formatNumber(total) }) + (total > 0 ? ` (${formatPercent(Math.min(1, done / total), 0)})` : '') }),
    );
    if (job.error) item.append(h('p', { class: 'error-text', text: typeof job.error === 'string' ? job.error : JSON.stringify(job.error) }));
    if (job.pollError) item.append(h('p', { class: 'error-text', text: job.pollError }));
    if (job.result !== undefined) {
      const ok = job.result && typeof job.result === 'object' && typeof job.result.ok === 'boolean' ? job.result.ok : undefined;
      item.append(
        h(
          'details',
          {},
          h('summary', { text: ok === undefined ? t('jobs.result') : t(ok ? 'jobs.result.ok' : 'jobs.result.ko') }),
          h('pre', { text: JSON.stringify(job.result, null, 2).slice(0, 20000) }),
        ),
      );
    }
    list.append(item);
  }
}

// ---------------------------------------------------------------- signing in and out

async function signIn(key) {
  $('login-message').textContent = t('login.checking');
  try {
    const me = await api('/me', { key });
    state.key = key;
    state.me = me;
    sessionStorage.setItem(KEY_STORAGE, key);
    $('login-message').textContent = '';
    $('login').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('signout').hidden = false;
    $('jobs').hidden = !canAudit();
    $('rebuild-form').hidden = me.role !== 'admin';
    renderStatic();
    await Promise.all([loadPublications(), loadReport()]);
    if (canAudit()) {
      refreshJobs();
      clearInterval(state.jobsTimer);
      state.jobsTimer = setInterval(refreshJobs, JOBS_REFRESH_MS);
    }
    const hash = /^#explain=(.+)$/.exec(location.hash);
    if (hash && state.report) explain(decodeURIComponent(hash[1]));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signOut(t('login.refused', { message: error.message }));
    else {
      $('login-message').textContent = describe(error);
    }
  }
}

/** Back to the key prompt; nothing of the previous key's figures stays on the page. */
function signOut(message = '') {
  state.key = '';
  state.me = null;
  state.report = null;
  state.catalogue = null;
  state.previous = null;
  state.comparison = null;
  state.jobs.clear();
  clearInterval(state.jobsTimer);
  state.loading += 1;
  sessionStorage.removeItem(KEY_STORAGE);
  if ($('provenance').open) $('provenance').close();
  $('app').hidden = true;
  $('who').hidden = true;
  $('signout').hidden = true;
  $('login').hidden = false;
  state.commitments = null;
  for (const id of ['free-users-list', 'mentors-list', 'outcomes-list', 'impact-value', 'impact-outcomes', 'key-list', 'lever-list', 'all-figures-list', 'chart-funding', 'chart-partnerships', 'chart-themes', 'compare-result', 'job-list']) clear($(id));
  for (const table of ['populations-table', 'coverage-table', 'commitments-table']) {
    clear($(table).tHead);
    clear($(table).tBodies[0]);
  }
  $('status').textContent = '';
  showError('');
  $('login-message').textContent = message;
  $('key').value = '';
  $('key').focus();
}

// ---------------------------------------------------------------- wiring

function wire() {
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      state.lang = button.dataset.lang;
      localStorage.setItem(LANG_STORAGE, state.lang);
      renderAll();
    });
  }
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key').value.trim();
    if (!key) {
      $('login-message').textContent = `${t('login.label')} ?`;
      $('key').focus();
      return;
    }
    signIn(key);
  });
  $('signout').addEventListener('click', () => signOut());
  $('view-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadReport();
  });
  $('known-now').addEventListener('click', () => {
    $('known-at').value = '';
    loadReport();
  });
  $('publication-list').addEventListener('click', (event) => {
    const button = event.target.closest('[data-known-at]');
    if (!button) return;
    $('known-at').value = instantToInput(button.dataset.knownAt);
    loadReport();
  });
  $('compare-form').addEventListener('submit', (event) => {
    event.preventDefault();
    compare();
  });
  $('compare-clear').addEventListener('click', () => {
    state.comparison = null;
    renderReport();
    renderComparison();
  });
  $('compare-result').addEventListener('click', (event) => {
    const button = event.target.closest('[data-diff]');
    if (button) explainDifference(button.dataset.diff);
  });
  // Every figure, wherever it is drawn, opens its provenance.
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[data-figure]');
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.replaceState(null, '', `#explain=${encodeURIComponent(link.dataset.figure)}`);
    explain(link.dataset.figure);
  });
  $('prov-close').addEventListener('click', () => $('provenance').close());
  $('provenance').addEventListener('close', () => {
    if (location.hash.startsWith('#explain=')) history.replaceState(null, '', location.pathname + location.search);
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
  $('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const { from, to, knownAt } = viewRequest();
    const published = $('audit-published').value;
    startJob('/audits', { from, to, ...(knownAt ? { knownAt } : {}), ...(published ? { published } : {}) });
  });
  $('rebuild-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const projection = $('rebuild-projection').value.trim();
    startJob('/rebuilds', projection ? { projection } : {});
  });
}

function init() {
  const stored = localStorage.getItem(LANG_STORAGE);
  state.lang = LANGUAGES.includes(stored) ? stored : (navigator.language ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
  wire();
  renderStatic();
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) signIn(key);
  else $('key').focus();
}

init();
