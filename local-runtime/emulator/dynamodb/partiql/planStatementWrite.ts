import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import type { Region } from '../../Region.js';
import { cloneValue } from '../expressions/cloneValue.js';
import { type KeySchema, keyOf } from '../keySchema.js';
import type { Table } from '../Table.js';
import type { ParsedStatement } from './ast.js';
import { planWrite, planWriteOn, type WritePlan, type WriteStatement, writtenTable } from './planWrite.js';
import { prepareStatementWrite, type StatementWrite } from './runWrite.js';
import { tableOf } from './tableOf.js';
import { type WriteTemplate, writeTemplateOf } from './writeTemplate.js';

/** Statement texts whose templates are kept; past this, the oldest is forgotten first. */
const MAX_TEMPLATES = 500;
/** Key schemas one text keeps a template for (one table name in several regions, or re-created). */
const MAX_SCHEMAS_PER_TEXT = 4;

interface Remembered {
  /** The key schema it was made for (`schemaIdentity`). */
  readonly schema: string;
  /** Undefined for a statement no template takes: it is not examined again. */
  readonly template: WriteTemplate | undefined;
}

/**
 * Templates by statement text, then by the key schema of the table the text named when the template was made:
 * a template depends on the statement and the key alone, so a table deleted and created again under the same
 * name with another key (or the same name in another region with another key) never meets a template made
 * for a different one.
 */
const templates = new Map<string, Remembered[]>();

/** What a template depends on of a table: its key attributes and their types. */
const schemaIdentities = new WeakMap<KeySchema, string>();
const schemaIdentity = (keySchema: KeySchema): string => {
  let identity = schemaIdentities.get(keySchema);
  if (identity === undefined) {
    const { hashKey, rangeKey, types } = keySchema;
    identity = JSON.stringify([hashKey, types[hashKey], rangeKey ?? null, rangeKey && types[rangeKey]]);
    schemaIdentities.set(keySchema, identity);
  }
  return identity;
};

const remember = (text: string, remembered: Remembered): void => {
  const list = (templates.get(text) ?? []).filter(({ schema }) => schema !== remembered.schema);
  list.push(remembered);
  if (list.length > MAX_SCHEMAS_PER_TEXT) list.shift();
  templates.delete(text);
  if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value as string);
  templates.set(text, list);
};

/** The item a plan names: an INSERT by the key attributes of its item, the others by their Key. */
const writtenKey = ({ table, kind, request }: WritePlan): AttributeMap =>
  kind === 'insert'
    ? keyOf(table.definition.keySchema, request.Item as AttributeMap)
    : (request.Key as AttributeMap);

/** A plan of the full path as a write to run. */
const statementWriteOf = (plan: WritePlan, prepare = () => prepareStatementWrite(plan)): StatementWrite => ({
  kind: plan.kind,
  table: plan.table,
  returning: plan.returning,
  key: writtenKey(plan),
  prepare,
});

/** The template of `statement`, made from a plan whose parameters are copies (see `writeTemplateOf`). */
const templateOf = (
  statement: WriteStatement,
  parsed: ParsedStatement,
  table: Table,
  parameters: readonly AttributeValue[],
): WriteTemplate | undefined => {
  const placeholders = parameters.slice(0, parsed.parameterCount).map(cloneValue);
  try {
    return writeTemplateOf(
      planWriteOn(statement, table, { text: parsed.text, parameters: placeholders }),
      placeholders,
    );
  } catch {
    // The same statement with equal values planned a moment ago: this cannot fail, and if it did, the
    // statement simply keeps the full path.
    return undefined;
  }
};

/**
 * Plans a write statement of ExecuteStatement or BatchExecuteStatement. The first time a text runs against
 * its table, through the full path (planWrite.ts, then PutItem's, UpdateItem's or DeleteItem's preparation);
 * once that has prepared a write without error, the text's template (writeTemplate.ts) is kept, and later runs
 * with parameters it can take skip translating, parsing and binding. Errors, and their order, are the full
 * path's in every case: whenever a template cannot vouch for a run, the full path runs it.
 */
const planStatementWrite = (
  statement: WriteStatement,
  parsed: ParsedStatement,
  region: Region,
  parameters: readonly AttributeValue[],
): StatementWrite => {
  const context = { text: parsed.text, parameters };
  if (statement.kind === 'exists') return statementWriteOf(planWrite(statement, region, context));
  const table = tableOf(region, writtenTable(statement));
  const schema = schemaIdentity(table.definition.keySchema);
  const current = templates.get(parsed.text)?.find((remembered) => remembered.schema === schema);
  const bound = current?.template?.bind(table, parameters);
  if (current?.template !== undefined && bound !== undefined) {
    const { kind, returning } = current.template;
    return {
      kind,
      table,
      returning,
      key: bound.key,
      prepare: () => bound.prepare() ?? prepareStatementWrite(planWriteOn(statement, table, context)),
    };
  }
  const plan = planWriteOn(statement, table, context);
  if (current !== undefined) return statementWriteOf(plan);
  return statementWriteOf(plan, () => {
    const write = prepareStatementWrite(plan);
    remember(parsed.text, { schema, template: templateOf(statement, parsed, table, parameters) });
    return write;
  });
};

/** Forgets every template (tests: a fresh cache). */
const forgetWriteTemplates = (): void => templates.clear();

/** The statement texts that have an entry, oldest first, and per key schema whether it has a template (tests). */
const rememberedWriteTemplates = (): [text: string, templated: boolean[]][] =>
  [...templates].map(([text, list]) => [text, list.map(({ template }) => template !== undefined)]);

export { forgetWriteTemplates, MAX_TEMPLATES, planStatementWrite, rememberedWriteTemplates };
