import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { decodeBinary } from '../attributes/compareValues.js';
import { canonicalNumber } from '../attributes/decimal.js';

type SetValue = { SS: string[] } | { NS: string[] } | { BS: string[] };

/** The members of a set and a spelling under which equal members are equal strings (`1.0` and `1` for NS). */
const membersOf = (set: SetValue): { members: string[]; canonical: (member: string) => string } => {
  if ('SS' in set) return { members: set.SS, canonical: (member) => member };
  if ('NS' in set) return { members: set.NS, canonical: canonicalNumber };
  return { members: set.BS, canonical: (member) => decodeBinary(member).toString('base64') };
};

const withMembers = (like: SetValue, members: string[]): SetValue => {
  if ('SS' in like) return { SS: members };
  if ('NS' in like) return { NS: members };
  return { BS: members };
};

const isSet = (value: AttributeValue): value is SetValue => 'SS' in value || 'NS' in value || 'BS' in value;

/** ADD on sets: the existing members in their order, then the new ones not already there. */
const unionSets = (current: SetValue, added: SetValue): SetValue => {
  const { members, canonical } = membersOf(current);
  const seen = new Set(members.map(canonical));
  const result = [...members];
  for (const member of membersOf(added).members) {
    const key = canonical(member);
    if (!seen.has(key)) {
      seen.add(key);
      result.push(member);
    }
  }
  return withMembers(current, result);
};

/** DELETE on sets: the existing members not in `removed`; may be empty, which the caller turns into REMOVE. */
const subtractSets = (current: SetValue, removed: SetValue): SetValue => {
  const { members, canonical } = membersOf(current);
  const gone = new Set(membersOf(removed).members.map(canonical));
  return withMembers(
    current,
    members.filter((member) => !gone.has(canonical(member))),
  );
};

const setSize = (set: SetValue): number => membersOf(set).members.length;

export type { SetValue };
export { isSet, setSize, subtractSets, unionSets };
