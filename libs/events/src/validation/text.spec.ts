import fc from 'fast-check';
import { ID_TEXT, exceedsCodePoints, proseText, textProblem } from './text';

describe('exceedsCodePoints', () => {
  it('agrees with counting code points one by one, lone surrogates included', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'é', '中', '\u{1F4A1}', '\ud800', '\udc00', '\u0000'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 1, max: 40 }), (parts, max) => {
        const text = parts.join('');
        return exceedsCodePoints(text, max) === [...text].length > max;
      }),
    );
  });

  it('decides at the boundaries', () => {
    expect(exceedsCodePoints('x'.repeat(128), 128)).toBe(false);
    expect(exceedsCodePoints('x'.repeat(129), 128)).toBe(true);
    expect(exceedsCodePoints('\u{1F4A1}'.repeat(128), 128)).toBe(false); // 256 units
    expect(exceedsCodePoints('\u{1F4A1}'.repeat(128) + 'x', 128)).toBe(true); // 257 units
    expect(exceedsCodePoints('\ud800'.repeat(129), 128)).toBe(true); // lone: one each
    expect(exceedsCodePoints('\ud800\udc00'.repeat(128), 128)).toBe(false); // paired: one each
  });
});

describe('textProblem', () => {
  it('gives one message, the first of: type, empty, length, character', () => {
    expect(textProblem(undefined, ID_TEXT)).toBe('must be a string, not undefined');
    expect(textProblem('', ID_TEXT)).toBe('must not be empty');
    expect(textProblem(`${'\u0000'.repeat(129)}`, ID_TEXT)).toBe('must be at most 128 characters (Unicode code points)');
    expect(textProblem('ok', ID_TEXT)).toBeUndefined();
  });

  it('builds rules of other lengths with the prose character rule (v1.1 labels: 1-200)', () => {
    const label = proseText(200);
    expect(textProblem('a\tb\nc\r', label)).toBeUndefined();
    expect(textProblem('y'.repeat(201), label)).toBe('must be at most 200 characters (Unicode code points)');
    expect(textProblem('a\u000bb', label)).toMatch(/U\+000B at character 2$/);
  });
});
