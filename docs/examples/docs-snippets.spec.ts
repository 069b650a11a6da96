import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code quoted in docs/adding-a-projection.md is compiled code: every ```ts block must be
 * preceded by `<!-- from <path> -->` and appear, line for line, in that file. A change to
 * the file that leaves the doc behind fails here, not in a reader's editor.
 */
const root = join(__dirname, '..', '..');
const DOC = 'docs/adding-a-projection.md';
const FROM = /^<!-- from (\S+) -->$/;

interface Snippet {
  /** The 1-based line of the doc that opens the block. */
  readonly line: number;
  readonly source: string | undefined;
  readonly code: string;
}

const read = (path: string) => readFileSync(join(root, path), 'utf8').replace(/\r\n/g, '\n');

function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trimEnd() !== '```ts') continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === '```');
    if (end === -1) throw new Error(`${DOC}:${i + 1}: a \`\`\`ts block is never closed`);
    blocks.push({ line: i + 1, source: FROM.exec(lines[i - 1]?.trimEnd() ?? '')?.[1], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

const snippets = tsBlocks(read(DOC));

describe(`the code quoted in ${DOC}`, () => {
  it('quotes the worked example and its test', () => {
    // Guards the parser too: a doc whose blocks it failed to find would pass every check below.
    const sources = snippets.map((s) => s.source);
    expect(sources).toContain('docs/examples/graduations/graduations.projection.ts');
    expect(sources).toContain('docs/examples/graduations/graduations.projection.spec.ts');
  });

  it.each(snippets.map((s) => [`line ${s.line}`, s] as const))('%s is verbatim from the file it names', (_, snippet) => {
    if (snippet.source === undefined) {
      throw new Error(`${DOC}:${snippet.line}: a \`\`\`ts block needs "<!-- from <path> -->" on the line above (code that is in no file: use another fence, e.g. \`\`\`diff)`);
    }
    // Whole lines: a snippet may not start or end in the middle of a line of the file.
    const file = `\n${read(snippet.source)}\n`;
    if (!file.includes(`\n${snippet.code}\n`)) {
      throw new Error(`${DOC}:${snippet.line}: this block is not (or no longer) in ${snippet.source}; quote the file again:\n${snippet.code}`);
    }
  });
});
