import { inflateSync } from 'node:zlib';

/** One ToUnicode CMap: a glyph id (4 hex digits) to its text. */
type CMap = Map<string, string>;

function utf16(hex: string): string {
  let text = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
}

/** The bfchar and bfrange entries of a ToUnicode CMap. */
function cmapOf(text: string): CMap {
  const map: CMap = new Map();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, glyph = '', unicode = ''] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(glyph.toUpperCase().padStart(4, '0'), utf16(unicode));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from = '', to = '', unicode = ''] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const start = parseInt(from, 16);
      const first = parseInt(unicode, 16);
      for (let g = start; g <= parseInt(to, 16); g += 1) map.set(g.toString(16).toUpperCase().padStart(4, '0'), String.fromCharCode(first + g - start));
    }
  }
  return map;
}

/**
 * The text of each page of a PDF that Chromium (Skia) printed, as well as a test needs it: its
 * streams inflated, the ToUnicode CMaps read, and each page's hex strings decoded with each
 * CMap in turn (a page mixes fonts; a phrase set in one font reads whole in that font's
 * decoding). Per page, one decoding per CMap. Not a general PDF reader.
 */
export function pdfPageTexts(pdf: Buffer): string[][] {
  const latin1 = pdf.toString('latin1');
  const streams: string[] = [];
  for (const match of latin1.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = latin1.indexOf('endstream', start);
    try {
      streams.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // Not a Flate stream (an image, a font program): no text in it.
    }
  }
  const cmaps = streams.filter((s) => s.includes('begincmap')).map(cmapOf);
  const pages = streams.filter((s) => /\bBT\b[\s\S]*\bTj\b/.test(s) && !s.includes('begincmap'));
  return pages.map((page) => {
    // `<glyphs> Tj`, and `[<glyphs> -12 <glyphs>] TJ` (kerned), in the order they are shown.
    const shown = [...page.matchAll(/<([0-9A-Fa-f]+)>\s*Tj|\[([^\]]*)\]\s*TJ/g)];
    const glyphs = shown.flatMap((m) => (m[1] !== undefined ? [m[1]] : [...(m[2] ?? '').matchAll(/<([0-9A-Fa-f]+)>/g)].map((h) => h[1] ?? ''))).map((hex) => hex.toUpperCase());
    return cmaps.map((cmap) => glyphs.map((hex) => hex.match(/.{4}/g)?.map((g) => cmap.get(g) ?? '\uFFFD').join('') ?? '').join(''));
  });
}
