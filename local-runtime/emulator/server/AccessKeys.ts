/**
 * An access key the emulator accepts, and the account its requests act in.
 *
 * @example
 * await startEmulator({
 *   requireSignature: true,
 *   credentials: [{ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret', accountId: '111122223333' }],
 * });
 */
interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** 12 digits. @default the access key itself when it is 12 digits, else the emulator's default account */
  readonly accountId?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The emulator's access keys: secrets for signature checking, and which account each key acts in.
 *
 * Data is kept per account and region. A configured key's account wins; otherwise an access key that is a
 * 12-digit number names the account itself (LocalStack's convention, so `AWS_ACCESS_KEY_ID=111122223333`
 * works the same against either emulator); any other key uses the emulator's default account.
 */
class AccessKeys {
  readonly #keys = new Map<string, EmulatorCredential>();

  /** @throws Error - for an empty key or secret, a malformed account or one key given two secrets */
  constructor(credentials: readonly EmulatorCredential[] = []) {
    for (const credential of credentials) {
      const { accessKeyId, secretAccessKey, accountId } = credential;
      if (!/^[^\s/:,]+$/.test(accessKeyId))
        throw new Error(
          `eddy: access key id '${accessKeyId}' must be non-empty, without spaces, '/', ':' or ','`,
        );
      if (secretAccessKey === '') throw new Error(`eddy: access key ${accessKeyId} has an empty secret`);
      if (accountId !== undefined && !ACCOUNT_ID.test(accountId))
        throw new Error(`eddy: account id '${accountId}' of access key ${accessKeyId} must be 12 digits`);
      const known = this.#keys.get(accessKeyId);
      if (known !== undefined && (known.secretAccessKey !== secretAccessKey || known.accountId !== accountId))
        throw new Error(`eddy: access key ${accessKeyId} is configured twice, differently`);
      this.#keys.set(accessKeyId, credential);
    }
  }

  get size(): number {
    return this.#keys.size;
  }

  secretFor(accessKeyId: string): string | undefined {
    return this.#keys.get(accessKeyId)?.secretAccessKey;
  }

  /** The account an access key acts in; `undefined` means the emulator's default account. */
  accountFor(accessKeyId: string | undefined): string | undefined {
    if (accessKeyId === undefined) return undefined;
    const configured = this.#keys.get(accessKeyId)?.accountId;
    if (configured !== undefined) return configured;
    return ACCOUNT_ID.test(accessKeyId) ? accessKeyId : undefined;
  }
}

export type { EmulatorCredential };
export { AccessKeys };
