import { describe, expect, it } from 'vitest';
import { splitHandler } from '../../../../local-runtime/template/lambdaHandler.js';

// Lambda's Node.js runtime splits a Handler at the first dot of its file name (UserFunction.js in
// https://github.com/aws/aws-lambda-nodejs-runtime-interface-client); the rest is a path into the exports.
describe('splitHandler', () => {
  it.each([
    ['app.handler', { moduleRoot: '', module: 'app', exportPath: 'handler' }],
    ['src/handlers/app.handler', { moduleRoot: 'src/handlers/', module: 'app', exportPath: 'handler' }],
    ['app.nested.handler', { moduleRoot: '', module: 'app', exportPath: 'nested.handler' }],
    ['v1.2/app.handler', { moduleRoot: 'v1.2/', module: 'app', exportPath: 'handler' }],
    ['app', { moduleRoot: '', module: 'app', exportPath: '' }],
  ])('splits %s', (handler, expected) => {
    expect(splitHandler(handler)).toEqual(expected);
  });
});
