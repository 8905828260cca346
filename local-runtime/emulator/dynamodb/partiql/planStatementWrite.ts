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

interface Remembered {
  readonly keySchema: KeySchema;
  /** Undefined for a statement no template takes: it is not examined again. */
  readonly template: WriteTemplate | undefined;
}

/**
 * Templates by statement text. A text names one table; the entry also holds the key schema it was made for,
 * so that a table deleted and created again under the same name (a new schema object, whatever its key) makes
 * a new one instead of using the old.
 */
const templates = new Map<string, Remembered>();

const remember = (text: string, remembered: Remembered): void => {
  templates.delete(text);
  if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value as string);
  templates.set(text, remembered);
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
  const { keySchema } = table.definition;
  const known = templates.get(parsed.text);
  const current = known?.keySchema === keySchema ? known : undefined;
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
    remember(parsed.text, { keySchema, template: templateOf(statement, parsed, table, parameters) });
    return write;
  });
};

/** Forgets every template (tests: a fresh cache). */
const forgetWriteTemplates = (): void => templates.clear();

/** The statement texts that have an entry, oldest first, and whether each has a template (tests). */
const rememberedWriteTemplates = (): [text: string, templated: boolean][] =>
  [...templates].map(([text, { template }]) => [text, template !== undefined]);

export { forgetWriteTemplates, MAX_TEMPLATES, planStatementWrite, rememberedWriteTemplates };
