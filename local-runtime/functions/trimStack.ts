/** Frames of RxJS's own operators: a handler built on `pipe` throws through a dozen of them. */
const RXJS_FRAME = /[\\/]node_modules[\\/]rxjs[\\/]/;

/**
 * A stack trace as `eddy dev` prints it: each run of consecutive frames inside node_modules/rxjs becomes one
 * line that says how many were left out, so the handler's own frames (its `.ts` lines) stand out. The error
 * itself (message, cause) and every other frame are kept as they are.
 *
 * @example
 * trimStack('Error: boom\n    at f (/app/handlers/app.ts:4:9)\n    at g (/app/node_modules/rxjs/dist/cjs/x.js:1:2)');
 * // 'Error: boom\n    at f (/app/handlers/app.ts:4:9)\n    ... 1 frame inside node_modules/rxjs'
 */
const trimStack = (stack: string): string => {
  const out: string[] = [];
  let hidden = 0;
  const flush = () => {
    if (hidden > 0) {
      out.push(`    ... ${hidden} frame${hidden === 1 ? '' : 's'} inside node_modules/rxjs`);
      hidden = 0;
    }
  };
  for (const line of stack.split('\n')) {
    if (/^\s+at /.test(line) && RXJS_FRAME.test(line)) {
      hidden += 1;
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return out.join('\n');
};

export { trimStack };
