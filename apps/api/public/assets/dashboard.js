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
  openFigure: null, // the figure whose provenance the dialog shows (its ref: id, prev:<id>, year:<yyyy>:<id>), in the URL
  years: null, // GET /years as known at the report's moment, and each year's report: { years, reports: Map<year, report> }
  applying: false, // the view is being set from the URL: no new history entry
  loading: 0,
  jobs: new Map(),
  polling: new Set(),
  jobsTimer: 0,
};

// ---------------------------------------------------------------- words and numbers

/**
 * A message in the language, its {placeholders} filled. A message with plural forms
 * ({ one, other }) is chosen by Intl.PluralRules for `params.count` (the raw number):
 * "1 événement", "2 événements", never "événement(s)".
 */
function t(key, params = {}) {
  let text = MESSAGES[state.lang][key] ?? MESSAGES.en[key] ?? key;
  if (text && typeof text === 'object' && !Array.isArray(text)) {
    const form = typeof params.count === 'number' ? new Intl.PluralRules(locale()).select(params.count) : 'other';
    text = text[form] ?? text.other;
  }
  return String(text).replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

/** A message's {placeholders} filled, in whichever language it is. */
const fill = (text, params) => String(text).replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));

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
      counts: Object.fromEntries(
        LANGUAGES.map((lang) => [lang, fill(MESSAGES[lang]['commitments.counts'], { kind: MESSAGES[lang][`commitments.kind.${c.kind}`] ?? c.kind, target: c.target, figure: c.figure, eventId: c.setAt.eventId, position: c.setAt.position })]),
      ),
      group: 'commitments',
    }));
  });
}

/** What a figure counts, in the language: the catalogue's `counts` is { en, fr } (a plain string before it was). */
function countsText(counts) {
  if (counts && typeof counts === 'object') return counts[state.lang] ?? counts.en ?? '';
  return counts === undefined || counts === null ? '' : String(counts);
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

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
// "2021-03-15 14:30", "2021-03-15 14:30:05", "2021-03-15T14:30:05.250" (and a trailing Z or UTC): 24-hour, UTC.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:\s*(?:Z|UTC))?$/i;

/** A calendar day typed as YYYY-MM-DD, or null. */
function parseDay(value) {
  const m = DAY.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? m[0] : null;
}

/** A moment typed as YYYY-MM-DD HH:MM[:SS[.mmm]] (24-hour, UTC) as RFC 3339; '' stays '' (now); null when it is not one. */
function inputToInstant(value) {
  const text = value.trim();
  if (!text) return '';
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, hh, mi, ss] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (hh > 23 || mi > 59 || ss > 59 || !parseDay(`${m[1]}-${m[2]}-${m[3]}`)) return null;
  const ms = (m[7] ?? '').padEnd(3, '0');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${ms && ms !== '000' ? `.${ms}` : ''}Z`;
}
/** An RFC 3339 instant as the field shows it: YYYY-MM-DD HH:MM, the seconds (and milliseconds) when there are some; UTC. */
function instantToInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const s = d.toISOString();
  const seconds = s.slice(17, 19);
  const ms = s.slice(20, 23);
  return `${s.slice(0, 10)} ${s.slice(11, 16)}${seconds !== '00' || ms !== '000' ? `:${seconds}` : ''}${ms !== '000' ? `.${ms}` : ''}`;
}
/** The same instant, whatever its form. */
const sameInstant = (a, b) => Boolean(a) && Boolean(b) && Date.parse(a) === Date.parse(b);

/** A field's error, said under it and tied to it (aria-invalid, aria-describedby); '' clears it. */
function fieldError(input, message) {
  const error = $(`${input.id}-error`);
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (error) {
    error.textContent = message;
    error.hidden = !message;
  }
}

/** A field's label text, for its error message. */
const labelOf = (input) => document.querySelector(`label[for="${input.id}"]`)?.textContent ?? input.id;

/**
 * The fields read and checked: a day (YYYY-MM-DD), a moment (YYYY-MM-DD HH:MM, UTC).
 * A wrong one is said under it, and focused; null then.
 */
function readFields(ids) {
  const out = {};
  let first = null;
  for (const id of ids) {
    const input = $(id);
    const raw = input.value.trim();
    let value;
    let message = '';
    if (input.dataset.kind === 'day') {
      value = parseDay(raw);
      if (!raw) message = t('format.required', { field: labelOf(input) });
      else if (value === null) message = t('format.day.error', { field: labelOf(input), value: raw });
    } else {
      value = inputToInstant(raw);
      if (!raw && input.required) message = t('format.required', { field: labelOf(input) });
      else if (value === null) message = t('format.instant.error', { field: labelOf(input), value: raw });
    }
    fieldError(input, message);
    if (message && !first) first = input;
    out[id] = value;
  }
  if (first) {
    first.focus();
    return null;
  }
  return out;
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
      // The API says its errors in French when asked to (Accept-Language).
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', 'Accept-Language': state.lang === 'fr' ? 'fr, en;q=0.5' : 'en', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
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
function figure(id, { value = state.report?.figures[id], big = false, none, display } = {}) {
  // `none`: what a null says here ("no baseline", "not collected"), never 0; `display`: another reading of the value ("yes" for 1).
  const text = display ?? (value === null && none !== undefined ? none : formatFigure(id, value));
  const difference = changed().get(id);
  const link = h('a', {
    class: `figure${big ? ' big-figure' : ''}${value === null ? ' nc' : ''}${difference ? ' changed' : ''}`,
    href: `#explain=${encodeURIComponent(id)}`,
    'data-figure': id,
    'data-value': value === null ? 'null' : value === undefined ? '' : String(value),
    title: difference ? t('changed.title', { a: formatFigure(id, difference.a), b: formatFigure(id, difference.b) }) : `${figureLabel(id, state.lang)} (${id})`,
    // A number alone says little to a screen reader: the link is named for the figure, and what it opens.
    // The name holds the text shown (n/c), then what it stands for.
    'aria-label': `${value === null && nullIsNotCollected(id) && none === undefined ? `${text} (${t('nc.title')})` : text}, ${figureLabel(id, state.lang)}${difference ? `, ${t('changed.title', { a: formatFigure(id, difference.a), b: formatFigure(id, difference.b) })}` : ''}: ${t('prov.heading')}`,
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

/**
 * A table in a region that scrolls sideways: keyboard-focusable and named when it does
 * scroll, with a visible cue (a line saying so, and a shadow at the edge still hidden).
 */
function scroller(table, name) {
  const region = h('div', { class: 'table-scroll' }, table);
  region.dataset.name = name;
  watchScroll(region);
  return region;
}

const scrollObserver = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => entries.forEach((e) => updateScrollCue(e.target))) : null;

function watchScroll(region) {
  if (region.dataset.watched) return;
  region.dataset.watched = 'true';
  scrollObserver?.observe(region);
  region.addEventListener('scroll', () => updateScrollCue(region), { passive: true });
  updateScrollCue(region);
}

function updateScrollCue(region) {
  const overflowing = region.scrollWidth > region.clientWidth + 1;
  region.classList.toggle('overflowing', overflowing);
  region.classList.toggle('at-end', region.scrollLeft + region.clientWidth >= region.scrollWidth - 1);
  let hint = region.previousElementSibling?.classList.contains('scroll-hint') ? region.previousElementSibling : null;
  if (overflowing) {
    const caption = region.querySelector('caption')?.textContent || region.dataset.name || '';
    region.setAttribute('tabindex', '0');
    region.setAttribute('role', 'region');
    region.setAttribute('aria-label', t('scroll.region', { name: caption }));
    if (!hint) {
      hint = h('p', { class: 'scroll-hint', 'aria-hidden': 'true' });
      region.before(hint);
    }
    hint.textContent = t('scroll.hint');
  } else {
    region.removeAttribute('tabindex');
    region.removeAttribute('role');
    region.removeAttribute('aria-label');
    hint?.remove();
  }
}

function refreshScrollCues() {
  for (const region of document.querySelectorAll('.table-scroll')) {
    watchScroll(region);
    updateScrollCue(region);
  }
}

// ---------------------------------------------------------------- rendering

function renderStatic() {
  document.documentElement.lang = state.lang;
  document.title = t('app.title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
  // The fields' pattern, in the language's words (AAAA-MM-JJ / YYYY-MM-DD): never the browser's locale.
  for (const input of document.querySelectorAll('input[data-kind]')) input.placeholder = t(input.dataset.kind === 'day' ? 'format.day' : 'format.instant.short');
  $('provenance').setAttribute('aria-label', t('dialog.label'));
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
    h('tr', { class: 'net' }, h('th', { scope: 'row', text: t('row.net') }), h('td', {}, figure('populations.net-distinct')), h('td', { colspan: STATUSES.length, class: 'prior-cell' }, prior('populations.net-distinct'))),
  );
  // The populations are a lever of the commitments (EVENTS.md), with no lever card of their own: their targets show here.
  const targets = clear($('populations-objectives'));
  if (commitmentsOf('populations').length > 0) targets.append(...objectives('populations'));
}

function renderImpact() {
  clear($('impact-value')).append(figure('impact.positive-progressions', { big: true }), prior('impact.positive-progressions'));
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

const KEY_FIGURES = ['key.certificates', 'key.courses-started', 'key.courses-started.monthly-avg', 'key.active-learners.monthly-avg', 'key.women-share.free-users', 'survey.responses'];

function renderKeyFigures() {
  const list = clear($('key-list'));
  for (const id of KEY_FIGURES) list.append(h('div', { class: 'pair' }, h('dt', { text: figureLabel(id, state.lang) }), h('dd', {}, figure(id), prior(id))));
}

/** The commitments of a lever as known at the report's moment (GET /commitments): its targets come from the log only. */
const commitmentsOf = (leverName) => (state.commitments?.commitments ?? []).filter((c) => c.lever === leverName);

/** A lever's targets: each commitment's label and target (a link to its CommitmentSet), or that none is recorded. */
function objectives(name) {
  const commitments = commitmentsOf(name);
  if (commitments.length === 0) return [h('p', { class: 'objective muted', 'data-commitments': 'none', text: t('objective.none') })];
  return commitments.flatMap((c) => [
    h('p', { class: 'objective', 'data-commitment': c.commitmentId }, t('objective', { objective: c.label[state.lang] ?? c.label.en }), ' (', figure(`commitments.${c.commitmentId}.target`), ')'),
    commitmentFigures(c),
  ]);
}

/**
 * A commitment's figures as the report gives them (KPIS v2): target, baseline, actual,
 * attained, and whether its data is there; a null is said in words, never 0.
 */
function commitmentParts(c) {
  const f = state.report.figures;
  const id = (part) => `commitments.${c.commitmentId}.${part}`;
  const growth = c.kind === 'growth-at-least';
  const baseline = f[id('baseline')];
  const noBaseline = growth && (baseline === null || baseline === 0);
  const missing = f[id('actual')] === null ? (noBaseline ? 'no-baseline' : 'not-collected') : 'available';
  const raw = f[id('attained')];
  const attained = figure(id('attained'), { none: '–', display: yesNo(raw) });
  return {
    target: figure(id('target')),
    // An at-least target has no baseline by definition: "–", not "no baseline".
    baseline: figure(id('baseline'), { none: growth ? t('commitments.no-baseline') : '–' }),
    actual: figure(id('actual'), { none: t(`commitments.${missing}`) }),
    attained,
    missing,
  };
}

/** "Attained" reads yes / no: the link keeps the raw 1 / 0 as its data-value. */
const yesNo = (value) => (value === 1 ? t('commitments.yes') : value === 0 ? t('commitments.no') : undefined);

function commitmentFigures(c) {
  const parts = commitmentParts(c);
  const list = h('dl', { class: 'pairs commitment-figures', 'data-commitment': c.commitmentId });
  for (const part of ['baseline', 'actual', 'attained']) list.append(h('div', { class: 'pair', 'data-part': part }, h('dt', { text: t(`commitment.${part}`) }), h('dd', {}, parts[part])));
  list.append(h('div', { class: 'pair', 'data-part': 'data' }, h('dt', { text: t('commitment.data') }), h('dd', { 'data-coverage': parts.missing, text: t(`commitments.${parts.missing}`) })));
  return list;
}

/**
 * The year before beside a headline figure: "2019 : 1 234", a link to its provenance over
 * that year, as known at the same moment.
 */
function prior(id) {
  const value = state.previous?.figures[id];
  if (!state.previous || value === undefined) return null;
  const year = state.previous.period.from.slice(0, 4);
  const link = previousFigure(id);
  return h('span', { class: 'prior', 'data-prior': id, title: t('prior.title', { year }) }, ` ${t('prior', { year, value: '' }).trim()} `, link);
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
  for (const id of ['admitted-learners', 'admitted-outside-france', 'english-path-learners', 'english-path-underemployed'].map((k) => `international.${k}`)) {
    international.append(h('div', { class: 'pair' }, h('dt', { text: internationalLabel(id.split('.').pop(), state.lang) }), h('dd', {}, figure(id), id === 'international.admitted-learners' ? prior(id) : null)));
  }
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

/** The width a chart is shown at, in CSS pixels: it is drawn for it (readable text on a phone). */
const chartWidth = (box) => box.clientWidth || box.parentElement?.clientWidth || 560;

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
    funding.append(lineChart({ title: fundingTitle, points, target, targetLabel: typeof target === 'number' ? t('chart.target', { target: formatPercent(target, 0) }) : '', format: (v, d) => formatPercent(v, d), changed: changed(), width: chartWidth(funding) }));
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
  const chart = groupedBars({ title: partnershipsTitle, groups, series, changed: changed(), width: chartWidth(partnerships) });
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
  themes.append(horizontalBars({ title: themesTitle, rows, changed: changed(), width: chartWidth(themes) }));
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
        title: `${p.publicationId}: ${p.report?.period?.from} – ${p.report?.period?.to} · ${t('print.sealed', { id: p.publicationId, root: p.seal?.merkleRoot ?? '?', size: formatNumber(p.seal?.treeSize ?? 0) })}`,
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
      pairsList.append(h('div', { class: 'pair', title: countsText(entry.counts) }, h('dt', { text: entry.label[state.lang] ?? entry.id }), h('dd', {}, figure(entry.id))));
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
  for (const entry of entries) list.append(h('div', { class: 'pair', title: countsText(entry.counts) }, h('dt', { text: entry.label[state.lang] ?? entry.id }), h('dd', {}, figure(entry.id))));
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
        h('td', {}, figure(id('attained'), { none: '–', display: yesNo(attained) })),
        h('td', { 'data-coverage': missing, text: t(`commitments.${missing}`) }),
      );
    }),
  );
}

function renderReport() {
  renderStatus();
  renderDownloads();
  renderPrintFooter();
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
  if (state.years && sameInstant(state.years.knownAt, state.report.knownAt)) renderHistory();
  else $('history').hidden = true;
  refreshScrollCues();
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

/** The period and moment asked for, checked; null (the error said under its field) when one is wrong. */
function viewRequest() {
  const fields = readFields(['from', 'to', 'known-at']);
  if (!fields) return null;
  if (fields.from > fields.to) {
    fieldError($('from'), t('format.order', { from: fields.from, to: fields.to }));
    $('from').focus();
    return null;
  }
  return { from: fields.from, to: fields.to, knownAt: fields['known-at'] };
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
async function loadReport({ keepComparison = false, push = false } = {}) {
  const request = viewRequest();
  if (!request) return;
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
    writeUrl(push ? 'push' : 'replace');
    loadHistory(generation);
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
  renderPrintFooter();
  if (!$('moment-a').value) {
    const first = state.publications[0]?.report?.knownAt;
    $('moment-a').value = instantToInput(first ?? '2021-03-15T00:00:00Z');
  }
}

// ---------------------------------------------------------------- comparing two moments

async function compare({ push = true } = {}) {
  const moments = readFields(['moment-a', 'moment-b']);
  if (!moments) return;
  const a = moments['moment-a'];
  const b = moments['moment-b'];
  const view = viewRequest();
  if (!view) return;
  const { from, to } = view;
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
    writeUrl(push ? 'push' : 'replace');
    loadHistory(++state.loading);
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
  result.append(h('p', { class: 'status', id: 'compare-summary', text: t(differences.size ? 'compare.summary' : 'compare.none', { ...params, count: differences.size }) }));
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

/**
 * Each listed event's payload and retraction (GET /provenance/events, 200 positions at a
 * time), put in its row's last cell: the payload as recorded (none once erased), and the
 * EventRetracted that names it with its reason, said to come after the moment when it does.
 */
async function loadDetails(events, knownAt, cells) {
  if (events.length === 0) return;
  for (const cell of cells.values()) cell.replaceChildren(h('span', { class: 'help', text: t('prov.details.loading') }));
  try {
    const view = await api(`/provenance/events?${query({ positions: events.map((e) => e.position).join(','), knownAt })}`);
    for (const detail of view.events) {
      const cell = cells.get(detail.position);
      if (!cell) continue;
      clear(cell);
      if (detail.erased) {
        cell.append(h('span', { class: 'help erased', text: t('prov.erased') }));
        continue;
      }
      if (detail.retraction) {
        const r = detail.retraction;
        cell.closest('tr')?.classList.add(r.afterKnownAt ? 'retracted-later' : 'retracted');
        cell.append(h('p', { class: 'retraction', 'data-retraction': r.eventId, text: t(r.afterKnownAt ? 'prov.retracted.after' : 'prov.retracted', { position: formatNumber(r.position), at: formatInstant(r.recordedAt), reason: r.reason }) }));
      }
      cell.append(h('details', { class: 'payload' }, h('summary', { text: t('prov.payload') }), h('pre', { text: JSON.stringify(detail.data, null, 2) })));
    }
  } catch (error) {
    for (const cell of cells.values()) cell.replaceChildren(h('span', { class: 'error-text', text: describe(error) }));
    if (error instanceof ApiError && error.status === 401) fail(error);
  }
}

function eventsTable(events, id, knownAt) {
  const columns = ['position', 'eventId', 'type', 'learnerId', 'occurredAt', 'recordedAt', 'details'];
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
    const cells = new Map();
    for (const e of next) {
      const details = h('td', { class: 'details' });
      cells.set(e.position, details);
      body.append(
        h(
          'tr',
          { 'data-position': e.position },
          h('td', { class: 'num', text: String(e.position) }),
          h('td', {}, h('code', { text: String(e.eventId) })),
          h('td', { text: String(e.type) }),
          h('td', {}, h('code', { text: e.learnerId === null || e.learnerId === undefined ? '–' : String(e.learnerId) })),
          h('td', {}, h('time', { datetime: String(e.occurredAt), text: String(e.occurredAt) })),
          h('td', {}, h('time', { datetime: String(e.recordedAt), text: String(e.recordedAt) })),
          details,
        ),
      );
    }
    loadDetails(next, knownAt, cells);
    shown += next.length;
    count.textContent = shown < events.length ? t('prov.showing', { shown: formatNumber(shown), total: formatNumber(events.length), count: shown }) : '';
    more.hidden = shown >= events.length;
    more.textContent = t('prov.more', { n: formatNumber(Math.min(EVENTS_PAGE, events.length - shown)) });
  };
  more.addEventListener('click', showMore);
  showMore();
  wrap.append(scroller(table, t('prov.heading')), count, more);
  return wrap;
}

/** "prev:<id>" is a figure of the year before the view. */
function resolveFigure(ref) {
  const year = /^year:(\d{4}):(.+)$/.exec(ref);
  if (year) return { id: year[2], period: { from: `${year[1]}-01-01`, to: `${year[1]}-12-31` }, knownAt: state.report.knownAt };
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
  state.openFigure = ref;
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
    // What it counts, in the language: the catalogue's words ({ en, fr }), else the rule the API gives.
    fact(t('prov.rule'), h('span', { id: 'prov-rule', text: (ref === id ? countsText(entryOf(id)?.counts) : '') || countsText(p.rule) }));
    fact(t('prov.period'), `${p.period.from} – ${p.period.to}`);
    fact(t('prov.knownAt'), formatInstant(p.knownAt));
    fact(t('prov.logPosition'), formatNumber(p.logPosition));
    body.append(facts);
    const count = typeof p.eventCount === 'number' ? p.eventCount : p.events.length;
    body.append(h('h3', { id: 'prov-count', text: t('prov.events', { n: formatNumber(count), count }) }));
    if (count > p.events.length) body.append(h('p', { class: 'help', text: t('prov.first', { n: formatNumber(p.events.length), count: p.events.length }) }));
    const csv = `/figures/${encodeURIComponent(id)}/explain?${query({ from: period.from, to: period.to, knownAt: p.knownAt, format: 'csv' })}`;
    body.append(h('p', {}, h('a', { id: 'prov-csv', class: 'download', href: csv, 'data-file': `${id}-${period.from}-${period.to}.csv`, text: t('prov.csv') })));
    body.append(eventsTable(p.events, 'prov-events', p.knownAt));
  } catch (error) {
    panelFailed(body, error);
  }
}

/** The events that changed a figure from A to B: its provenance at both moments, side by side. */
async function explainDifference(id) {
  const comparison = state.comparison;
  if (!comparison) return;
  state.openFigure = null;
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
      body.append(eventsTable(recorded, 'diff-recorded', change.b.knownAt));
    }
    if (retracted.length > 0) {
      body.append(h('h3', { class: 'removed', text: t('diff.retracted', { n: formatNumber(retracted.length) }) }));
      // As known at B: each with the retraction that took it out, and its reason.
      body.append(eventsTable(retracted, 'diff-retracted', change.b.knownAt));
    }
  } catch (error) {
    panelFailed(body, error);
  }
}

// ---------------------------------------------------------------- year by year

/** The headline figures drawn year by year, over every year the log holds. */
const HISTORY_FIGURES = ['impact.positive-progressions', 'populations.net-distinct', 'key.certificates', 'key.courses-started', 'partnerships.total', 'international.admitted-learners'];

/**
 * The years the log holds as known at the report's moment (GET /years), and each year's
 * report (1 January to 31 December) as known at that same moment; the view's own report
 * and the year before's are used as they are when they are those years.
 */
async function loadHistory(generation) {
  const report = state.report;
  if (!report) return;
  const help = $('history-help');
  help.textContent = t('history.loading');
  try {
    const { years } = await api(`/years?${query({ knownAt: report.knownAt })}`);
    const reports = new Map();
    const whole = (r) => r && /-01-01$/.test(r.period.from) && r.period.to === `${r.period.from.slice(0, 4)}-12-31`;
    for (const r of [report, state.previous]) if (whole(r)) reports.set(Number(r.period.from.slice(0, 4)), r);
    for (const year of years) {
      if (reports.has(year)) continue;
      reports.set(year, await fetchReport({ from: `${year}-01-01`, to: `${year}-12-31`, knownAt: report.knownAt }));
      if (generation !== state.loading || state.report !== report) return;
    }
    if (generation !== state.loading || state.report !== report) return;
    state.years = { years, reports, knownAt: report.knownAt };
    renderHistory();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return fail(error);
    help.textContent = describe(error);
  }
}

function renderHistory() {
  const history = state.years;
  const section = $('history');
  section.hidden = !history || history.years.length === 0;
  if (!history || history.years.length === 0) return;
  const { years, reports, knownAt } = history;
  $('history-help').textContent = t('history.help', { years: years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0]), knownAt: formatInstant(knownAt) });
  const select = $('history-figure');
  const chosen = select.value || HISTORY_FIGURES[0];
  clear(select).append(...HISTORY_FIGURES.map((id) => h('option', { value: id, text: figureLabel(id, state.lang) })));
  select.value = chosen;
  const cell = (year, id) => {
    const value = reports.get(year)?.figures[id];
    return h('a', { class: 'figure', href: `#explain=${encodeURIComponent(`year:${year}:${id}`)}`, 'data-figure': `year:${year}:${id}`, 'data-value': value === null ? 'null' : value === undefined ? '' : String(value), 'aria-label': `${formatFigure(id, value)}, ${figureLabel(id, state.lang)}, ${year}: ${t('prov.heading')}`, text: formatFigure(id, value) });
  };
  const table = $('history-table');
  clear(table.tHead).append(h('tr', {}, h('th', { scope: 'col', text: t('history.col.figure') }), ...years.map((y) => h('th', { scope: 'col', class: 'num', text: String(y) }))));
  clear(table.tBodies[0]).append(...HISTORY_FIGURES.map((id) => h('tr', { 'data-figure-row': id }, h('th', { scope: 'row', text: figureLabel(id, state.lang) }), ...years.map((y) => h('td', { class: 'num' }, cell(y, id))))));
  const box = clear($('chart-history'));
  const title = `${figureLabel(chosen, state.lang)}, ${years[0]}–${years[years.length - 1]}`;
  box.append(h('figcaption', { text: title }));
  const groups = years.map((year) => {
    const value = reports.get(year)?.figures[chosen];
    return { label: String(year), bars: [{ value: typeof value === 'number' ? value : 0, raw: value, figure: `year:${year}:${chosen}`, text: formatFigure(chosen, value), series: String(year) }] };
  });
  box.append(groupedBars({ title, groups, series: [{ name: figureLabel(chosen, state.lang), cls: 'series-b' }], changed: new Map(), width: chartWidth(box) }));
  refreshScrollCues();
}

// ---------------------------------------------------------------- downloads and print

/** The report of the view in a format (the API's `format=`): same period, same moment (pinned: a download is of what is shown). */
function reportUrl(format) {
  const r = state.report;
  if (!r) return `/reports?format=${format}`;
  return `/reports?${query({ from: r.period.from, to: r.period.to, knownAt: r.knownAt, format })}`;
}

function renderDownloads() {
  const r = state.report;
  for (const link of document.querySelectorAll('#downloads a[data-format]')) {
    const format = link.dataset.format;
    link.href = reportUrl(format);
    link.classList.add('download');
    link.dataset.file = r ? `report-${r.period.from}-${r.period.to}-${r.knownAt.replace(/[:.]/g, '')}.${format}` : `report.${format}`;
  }
}

/**
 * A download: the API wants the key (Authorization), which a plain link cannot send, so the
 * file is fetched with it and handed to the browser as a blob, under the API's file name.
 */
async function download(link) {
  const status = $('download-status');
  const fallback = link.dataset.file || 'download';
  status.textContent = t('download.busy', { file: fallback });
  try {
    let response;
    try {
      response = await fetch(link.getAttribute('href'), { cache: 'no-store', headers: { Authorization: `Bearer ${state.key}`, 'Accept-Language': state.lang === 'fr' ? 'fr, en;q=0.5' : 'en' } });
    } catch (error) {
      throw new ApiError(0, t('error.unreachable', { message: error instanceof Error ? error.message : String(error) }));
    }
    if (!response.ok) {
      let message = response.statusText;
      try {
        const data = await response.json();
        if (data && data.message !== undefined) message = Array.isArray(data.message) ? data.message.join('; ') : String(data.message);
      } catch {
        // not JSON: the status says it
      }
      throw new ApiError(response.status, message);
    }
    const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
    const file = named ? decodeURIComponent(named) : fallback;
    const url = URL.createObjectURL(await response.blob());
    const a = h('a', { href: url, download: file, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = t('download.done', { file });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return fail(error);
    status.textContent = t('download.failed', { message: describe(error) });
  }
}

/** The sealed publication of exactly this view (period and moment), if there is one. */
function sealOfView() {
  const r = state.report;
  if (!r) return undefined;
  return state.publications.find((p) => p.report?.period?.from === r.period.from && p.report?.period?.to === r.period.to && sameInstant(p.report?.knownAt, r.knownAt));
}

/** What every printed page says at its foot: the period, the moment, the log position, and the seal when there is one. */
function renderPrintFooter() {
  const footer = clear($('print-footer'));
  const r = state.report;
  if (!r) return;
  const line = t('print.footer', { from: r.period.from, to: r.period.to, knownAt: formatInstant(r.knownAt), position: formatNumber(r.logPosition) });
  $('print-subtitle').textContent = line;
  footer.append(h('p', { id: 'print-view', text: line }));
  const sealed = sealOfView();
  footer.append(
    sealed
      ? h('p', { id: 'print-seal', 'data-publication': sealed.publicationId, text: t('print.sealed', { id: sealed.publicationId, root: sealed.seal?.merkleRoot ?? '?', size: formatNumber(sealed.seal?.treeSize ?? 0) }) })
      : h('p', { id: 'print-seal', text: t('print.unsealed') }),
  );
}

// ---------------------------------------------------------------- the view in the URL

/**
 * The view as the address holds it, after '#': the open figure first (`explain`), then the
 * period (`from`, `to`), the moment (`knownAt`, pinned to the instant shown), the compared
 * moments (`a`, `b`) and the language (`lang`). No key: that stays in the tab.
 */
function viewHash() {
  const q = new URLSearchParams();
  if (state.openFigure) q.set('explain', state.openFigure);
  const r = state.report;
  if (r) {
    q.set('from', r.period.from);
    q.set('to', r.period.to);
    q.set('knownAt', r.knownAt);
  }
  if (state.comparison) {
    q.set('a', state.comparison.a.knownAt);
    q.set('b', state.comparison.b.knownAt);
  }
  q.set('lang', state.lang);
  return `#${q.toString()}`;
}

/** The address follows the view: a new history entry for a step of the user's (back and forward), else the same one. */
function writeUrl(mode = 'push') {
  if (!state.me || state.applying) return;
  const hash = viewHash();
  if (hash === location.hash) return;
  if (mode === 'push') history.pushState(null, '', hash);
  else history.replaceState(null, '', hash);
}

function urlView() {
  const q = new URLSearchParams(location.hash.replace(/^#/, ''));
  const get = (k) => q.get(k) ?? undefined;
  return { explain: get('explain'), from: get('from'), to: get('to'), knownAt: get('knownAt'), a: get('a'), b: get('b'), lang: get('lang') };
}

/** The language the address asks for, if any. */
function applyUrlLanguage() {
  const { lang } = urlView();
  if (!lang || !LANGUAGES.includes(lang) || lang === state.lang) return false;
  state.lang = lang;
  localStorage.setItem(LANG_STORAGE, lang);
  return true;
}

/**
 * The view the address holds, set on the page: a link pasted (into a new tab, or this one:
 * hashchange), back and forward (popstate). Only what differs is loaded again.
 */
async function applyUrl() {
  if (applyUrlLanguage()) renderAll();
  if (!state.me) return;
  const u = urlView();
  state.applying = true;
  try {
    if (u.from && parseDay(u.from)) $('from').value = u.from;
    if (u.to && parseDay(u.to)) $('to').value = u.to;
    if (u.knownAt !== undefined) $('known-at').value = instantToInput(u.knownAt);
    const r = state.report;
    const samePeriod = r && r.period.from === $('from').value && r.period.to === $('to').value;
    const wantCompare = u.a && !Number.isNaN(Date.parse(u.a)) ? { a: u.a, b: u.b } : null;
    if (wantCompare) {
      const c = state.comparison;
      if (!c || !samePeriod || !sameInstant(c.a.knownAt, wantCompare.a) || !(wantCompare.b ? sameInstant(c.b.knownAt, wantCompare.b) : true)) {
        $('moment-a').value = instantToInput(wantCompare.a);
        $('moment-b').value = wantCompare.b ? instantToInput(wantCompare.b) : '';
        await compare({ push: false });
      }
    } else if (!r || !samePeriod || (u.knownAt !== undefined && !sameInstant(r.knownAt, u.knownAt)) || state.comparison) {
      await loadReport();
    }
    const dialog = $('provenance');
    if (u.explain && state.report && (!dialog.open || state.openFigure !== u.explain)) await explain(u.explain);
    else if (!u.explain && dialog.open) {
      state.openFigure = null; // closed by the address: no new history entry
      dialog.close();
    }
  } finally {
    state.applying = false;
  }
  writeUrl('replace');
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
    // The view the address holds (a link shared): its period, moment, comparison and figure.
    await loadPublications();
    await applyUrl();
    if (canAudit()) {
      refreshJobs();
      clearInterval(state.jobsTimer);
      state.jobsTimer = setInterval(refreshJobs, JOBS_REFRESH_MS);
    }
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
  state.openFigure = null;
  state.years = null;
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
  for (const id of ['populations-objectives', 'free-users-list', 'mentors-list', 'outcomes-list', 'impact-value', 'impact-outcomes', 'key-list', 'lever-list', 'all-figures-list', 'chart-funding', 'chart-partnerships', 'chart-themes', 'chart-history', 'compare-result', 'job-list', 'print-footer', 'print-subtitle', 'download-status']) clear($(id));
  $('history').hidden = true;
  for (const table of ['populations-table', 'coverage-table', 'commitments-table', 'history-table']) {
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
      // The errors said under the fields, again in the language.
      for (const input of document.querySelectorAll('input[aria-invalid="true"]')) fieldError(input, '');
      renderAll();
      writeUrl('replace');
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
    loadReport({ push: true });
  });
  $('known-now').addEventListener('click', () => {
    $('known-at').value = '';
    fieldError($('known-at'), '');
    loadReport({ push: true });
  });
  $('publication-list').addEventListener('click', (event) => {
    const button = event.target.closest('[data-known-at]');
    if (!button) return;
    $('known-at').value = instantToInput(button.dataset.knownAt);
    fieldError($('known-at'), '');
    loadReport({ push: true });
  });
  // Downloads (the report, a provenance's list) go through fetch, with the key.
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a.download');
    if (!link || event.button !== 0) return;
    event.preventDefault();
    $('downloads').open = false;
    download(link);
  });
  $('print').addEventListener('click', () => window.print());
  $('history-figure').addEventListener('change', () => renderHistory());
  // A link pasted into this tab (hashchange), back and forward (popstate): the view follows the address.
  window.addEventListener('popstate', () => applyUrl());
  window.addEventListener('hashchange', () => applyUrl());
  // Charts are drawn for their width: drawn again when it changes (a phone turned, a window resized).
  let drawnAt = window.innerWidth;
  let redraw = 0;
  window.addEventListener('resize', () => {
    clearTimeout(redraw);
    redraw = setTimeout(() => {
      if (Math.abs(window.innerWidth - drawnAt) < 40 || !state.report) return;
      drawnAt = window.innerWidth;
      renderCharts();
      if (state.years) renderHistory();
    }, 150);
  });
  $('compare-form').addEventListener('submit', (event) => {
    event.preventDefault();
    compare();
  });
  $('compare-clear').addEventListener('click', () => {
    state.comparison = null;
    renderReport();
    renderComparison();
    writeUrl('push');
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
    explain(link.dataset.figure);
    writeUrl('push');
  });
  $('prov-close').addEventListener('click', () => $('provenance').close());
  $('provenance').addEventListener('close', () => {
    const wasFigure = state.openFigure !== null;
    state.openFigure = null;
    if (wasFigure) writeUrl('push');
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
  // The dialog keeps the focus: Tab from its last control goes to its first, Shift+Tab the other way.
  $('provenance').addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...$('provenance').querySelectorAll('a[href], button:not([disabled]), summary, [tabindex="0"], input, select')].filter((node) => node.offsetParent !== null || node === document.activeElement);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  $('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const view = viewRequest();
    if (!view) return;
    const { from, to, knownAt } = view;
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
  applyUrlLanguage(); // a link's language wins
  wire();
  renderStatic();
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) signIn(key);
  else $('key').focus();
}

init();
