import { InvalidPatternError } from './InvalidPatternError.js';
import type { ValueTest } from './PatternTree.js';

/**
 * Splits a wildcard on its unescaped `*`. EventBridge's rules: `\*` is a literal star, `\\` a literal
 * backslash, any other backslash is an error, and two stars in a row are an error.
 */
const segmentsOf = (wildcard: string): string[] => {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i];
    if (char === '*') {
      if (wildcard[i + 1] === '*')
        throw new InvalidPatternError(`consecutive wildcard characters at pos ${i}`);
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = wildcard[i + 1];
      if (next !== '*' && next !== '\\')
        throw new InvalidPatternError(`invalid escape character at pos ${i}`);
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
};

/**
 * `{"wildcard": "…"}`: `*` stands for any run of characters, the rest matches exactly, strings only. Matched
 * by anchoring the first and last segments and finding the others left to right, which is exact for `*`-only
 * globs and cannot backtrack exponentially the way a regular expression could.
 */
const compileWildcard = (operand: unknown): ValueTest => {
  if (typeof operand !== 'string') throw new InvalidPatternError('wildcard match pattern must be a string');
  const segments = segmentsOf(operand);
  const first = segments[0] ?? '';
  if (segments.length === 1) return (value) => value === first;
  const last = segments.at(-1) ?? '';
  const middle = segments.slice(1, -1);
  return (value) => {
    if (typeof value !== 'string' || value.length < first.length + last.length) return false;
    if (!value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let from = first.length;
    for (const segment of middle) {
      const at = value.indexOf(segment, from);
      if (at < 0 || at + segment.length > end) return false;
      from = at + segment.length;
    }
    return true;
  };
};

export { compileWildcard };
