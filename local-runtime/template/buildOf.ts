import { extname, resolve as resolvePath } from 'node:path';
import { readEsbuildProperties } from './esbuildProperties.js';
import { LAMBDA_EXTENSIONS, lambdaHandlerFile, splitHandler } from './lambdaHandler.js';
import { childLocation, isRecord } from './resolveIntrinsics.js';
import { isKind, own, type TemplateContext } from './TemplateContext.js';
import type { FunctionDefinition } from './types.js';

/** What `sam build` tries for an esbuild entry point written without an extension, in its order. */
const ESBUILD_EXTENSIONS = ['.ts', '.js'];

const ESBUILD_DOCS =
  'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html';

/** An esbuild entry point relative to CodeUri as `sam build` resolves it: as written, or with `.ts`, then `.js`. */
const esbuildEntryPoint = (codeUri: string, entry: string): string | undefined => {
  const file = resolvePath(codeUri, entry);
  if (extname(entry) !== '') return isKind(file, 'file') ? file : undefined;
  return ESBUILD_EXTENSIONS.map((extension) => file + extension).find((found) => isKind(found, 'file'));
};

/**
 * Without `Metadata`, `sam build` uses the npm builder: it copies CodeUri (with its installed dependencies) as it
 * is, and Lambda loads the Handler's `.js`, `.mjs` or `.cjs` file. eddy dev runs that file from a copy of CodeUri
 * (see `buildFunction`).
 */
const plainHandlerFile = (
  template: TemplateContext,
  codeUri: string,
  handler: string,
  location: string,
): string => {
  const found = lambdaHandlerFile(codeUri, handler);
  if (found !== undefined) return found;
  const { moduleRoot, module } = splitHandler(handler);
  const base = resolvePath(codeUri, moduleRoot, module);
  const typescript = ['.ts', '.mts', '.cts'].map((e) => base + e).find((file) => isKind(file, 'file'));
  if (typescript !== undefined) {
    template.fail(
      location,
      `${typescript} is TypeScript, and Lambda's Node.js runtime loads only ${module}.js, .mjs or .cjs: ` +
        `add Metadata: {BuildMethod: esbuild} to the function so that sam build (and eddy dev) bundle it (${ESBUILD_DOCS})`,
    );
  }
  return template.fail(
    location,
    `no file for Handler ${handler}: tried ${base}{${LAMBDA_EXTENSIONS.join(',')}}, as Lambda's Node.js runtime does`,
  );
};

/**
 * A function's build configuration, as `sam build` reads it from `Metadata` (BuildMethod, BuildProperties): run
 * the Handler's file as it is, or bundle it with esbuild (see `readEsbuildProperties`).
 */
const buildOf = (
  template: TemplateContext,
  logicalId: string,
  resource: Record<string, unknown>,
  codeUri: string,
  handler: string,
  environment: Record<string, string>,
): FunctionDefinition['build'] => {
  const metadataLocation = `Resources.${logicalId}.Metadata`;
  const handlerLocation = `Resources.${logicalId}.Properties.Handler`;
  const metadata = own(resource, 'Metadata') ?? {};
  if (!isRecord(metadata)) template.fail(metadataLocation, 'Metadata must be a map');
  const method = own(metadata, 'BuildMethod');
  if (method !== undefined && typeof method !== 'string') {
    template.fail(childLocation(metadataLocation, 'BuildMethod'), 'BuildMethod must be a string');
  }
  const propertiesLocation = childLocation(metadataLocation, 'BuildProperties');
  const properties = own(metadata, 'BuildProperties') ?? {};
  if (!isRecord(properties)) template.fail(propertiesLocation, 'BuildProperties must be a map');
  // No BuildMethod, or a runtime name (SAM's default builder for that runtime): the npm builder, run as is.
  if (method === undefined || method.startsWith('nodejs')) {
    const file = plainHandlerFile(template, codeUri, handler, handlerLocation);
    return { ...(method === undefined ? {} : { method }), builder: 'none', entryPoints: [file], properties };
  }
  const esbuild = readEsbuildProperties({
    // Other build methods (makefile…) run tools eddy dev cannot; it bundles their handler with SAM's defaults.
    properties: method === 'esbuild' ? properties : {},
    location: propertiesLocation,
    environment,
    codeUri,
    findEntryPoint: (entry) => esbuildEntryPoint(codeUri, entry),
    handlerEntry: { entry: handler.split('.')[0] as string, location: handlerLocation },
    fail: template.fail,
  });
  return { method, builder: 'esbuild', entryPoints: [...esbuild.entryPoints], properties, esbuild };
};

export { buildOf };
