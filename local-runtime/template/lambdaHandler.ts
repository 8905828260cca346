import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';

/** The extensions Lambda's Node.js runtime tries for a handler's module, in its order (see `lambdaHandlerFile`). */
const LAMBDA_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/**
 * A Handler split as Lambda's Node.js runtime splits it: the folder (`moduleRoot`), the module (the file name up
 * to the first dot) and the export path after it. See `UserFunction.js` in
 * https://github.com/aws/aws-lambda-nodejs-runtime-interface-client.
 *
 * @example
 * splitHandler('app.handler'); // { moduleRoot: '', module: 'app', exportPath: 'handler' }
 * splitHandler('src/app.a.b'); // { moduleRoot: 'src/', module: 'app', exportPath: 'a.b' }
 */
const splitHandler = (handler: string): { moduleRoot: string; module: string; exportPath: string } => {
  const slash = handler.lastIndexOf('/');
  const name = handler.slice(slash + 1);
  const dot = name.indexOf('.');
  if (dot < 0) return { moduleRoot: handler.slice(0, slash + 1), module: name, exportPath: '' };
  return {
    moduleRoot: handler.slice(0, slash + 1),
    module: name.slice(0, dot),
    exportPath: name.slice(dot + 1),
  };
};

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The file Lambda's Node.js runtime loads for a Handler from a folder of deployed code: `<module>.js`, then
 * `.mjs`, then `.cjs` (a `.js` file is an ES module when the nearest package.json says "type": "module"). See
 * `_tryRequire` in https://github.com/aws/aws-lambda-nodejs-runtime-interface-client (src/UserFunction.js) and
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.
 *
 * @example
 * lambdaHandlerFile('/app', 'src/app.handler'); // '/app/src/app.js' when it exists, else .mjs, .cjs, undefined
 */
const lambdaHandlerFile = (folder: string, handler: string): string | undefined => {
  const { moduleRoot, module } = splitHandler(handler);
  const base = resolvePath(folder, moduleRoot, module);
  return LAMBDA_EXTENSIONS.map((extension) => base + extension).find(isFile);
};

export { LAMBDA_EXTENSIONS, lambdaHandlerFile, splitHandler };
