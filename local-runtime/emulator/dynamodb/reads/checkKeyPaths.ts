import { validationException } from '../../errors.js';
import type { DocumentPath } from '../expressions/index.js';
import { isKeyAttribute, type KeySchema, keyAttributeNames } from '../keySchema.js';
import type { Table } from '../Table.js';

/**
 * Key attributes are scalars: no filter or projection path may look inside one with `.` or `[]`. DynamoDB
 * names a table key "Key" and any index's key "IndexKey".
 */
const checkScalarKeyPaths = (paths: readonly DocumentPath[], table: Table): void => {
  for (const path of paths) {
    if (path.length < 2) continue;
    const name = path[0] as string;
    let label: string | undefined;
    if (isKeyAttribute(table.definition.keySchema, name)) label = 'Key';
    else if ([...table.indexes.values()].some((index) => isKeyAttribute(index.keySchema, name)))
      label = 'IndexKey';
    if (label !== undefined) {
      throw validationException(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ${label}: ${name}`,
      );
    }
  }
};

/**
 * A Query's filter may not name the key attributes of what it reads (the key condition is the place for
 * them); `member` is "Filter Expression" or "QueryFilter", as in DynamoDB's message.
 */
const checkFilterKeys = (attributes: readonly string[], keySchema: KeySchema, member: string): void => {
  for (const name of keyAttributeNames(keySchema)) {
    if (attributes.includes(name)) {
      throw validationException(
        `${member} can only contain non-primary key attributes: Primary key attribute: ${name}`,
      );
    }
  }
};

export { checkFilterKeys, checkScalarKeyPaths };
