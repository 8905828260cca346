import { crc32 } from 'node:zlib';

/**
 * One line of a data dir file (journal or snapshot): `<crc32 as 8 hex digits> <JSON>` then, for lines that
 * carry stream records, each record's JSON text after a `\x1e` (ASCII record separator), then `\n`. The
 * checksum covers everything between the space and the newline, so a damaged byte is found even when the line
 * still parses. Record texts travel as they are stored (JSON.stringify never writes a raw control character,
 * so `\x1e` and `\n` cannot occur inside them): no escaping when written, no parsing when read.
 */
const SEPARATOR = '\x1e';

/** The full text of one line, newline included. */
const encodeLine = (json: string, attachments?: readonly string[]): string => {
  const payload =
    attachments === undefined || attachments.length === 0
      ? json
      : `${json}${SEPARATOR}${attachments.join(SEPARATOR)}`;
  return `${crc32(payload).toString(16).padStart(8, '0')} ${payload}\n`;
};

/** A decoded line: its JSON value and its attached texts (as strings, or as the line's bytes: `texts`). */
interface DecodedLine {
  readonly value: unknown;
  readonly attachments: readonly string[];
  /** With `keepTexts`: the attached texts as they are in the line, each after a `SEPARATOR_BYTE` but the first. */
  readonly texts?: Buffer;
}

const SEPARATOR_BYTE = 0x1e;

/** Why a line is not a line this format wrote. */
type LineDamage = 'checksum mismatch' | 'malformed line' | 'invalid JSON';

const HEX = /^[0-9a-f]{8}$/;

/**
 * Decodes one line (without its newline) from the bytes it was read as. Returns the reason when the line is
 * damaged: a checksum that does not match, a line not shaped as `<crc> <payload>`, or a payload that does not
 * parse. `keepTexts` leaves the attached texts as bytes (`texts`, a view of `bytes`) instead of strings.
 */
const decodeLine = (bytes: Buffer, keepTexts = false): DecodedLine | LineDamage =>
  checkLine(bytes) ?? parseLine(bytes, keepTexts);

/** The reason a line (without its newline) is damaged, short of its JSON: undefined when its checksum holds. */
const checkLine = (bytes: Buffer): LineDamage | undefined => {
  if (bytes.length < 10 || bytes[8] !== 0x20) return 'malformed line';
  const crcText = bytes.toString('latin1', 0, 8);
  if (!HEX.test(crcText)) return 'malformed line';
  if (crc32(bytes.subarray(9)) !== Number.parseInt(crcText, 16)) return 'checksum mismatch';
  return undefined;
};

/** The value and texts of a line `checkLine` passed, or 'invalid JSON'. */
const parseLine = (bytes: Buffer, keepTexts = false): DecodedLine | LineDamage => {
  const payloadBytes = bytes.subarray(9);
  try {
    if (keepTexts) {
      const cut = payloadBytes.indexOf(SEPARATOR_BYTE);
      if (cut < 0) return { value: JSON.parse(payloadBytes.toString('utf8')), attachments: [] };
      return {
        value: JSON.parse(payloadBytes.toString('utf8', 0, cut)),
        attachments: [],
        texts: payloadBytes.subarray(cut + 1),
      };
    }
    const payload = payloadBytes.toString('utf8');
    const cut = payload.indexOf(SEPARATOR);
    if (cut < 0) return { value: JSON.parse(payload), attachments: [] };
    return { value: JSON.parse(payload.slice(0, cut)), attachments: payload.slice(cut + 1).split(SEPARATOR) };
  } catch {
    return 'invalid JSON';
  }
};

export type { DecodedLine, LineDamage };
export { checkLine, decodeLine, encodeLine, parseLine, SEPARATOR, SEPARATOR_BYTE };
