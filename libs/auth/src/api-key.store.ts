/** Who may do what through the API (docs/api.md has the table of routes). */
export const ROLES = ['ingest', 'committee', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** An API key as anyone may see it: never its secret, which is shown once, when it is created. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  /** When it was revoked (then it is refused); null while it is valid. */
  readonly revokedAt: string | null;
}

/** An API key as stored: with the SHA-256 of its secret, not the secret. */
export interface StoredApiKey extends ApiKey {
  readonly secretHash: Buffer;
}

/**
 * Where API keys are kept. Only the hash of a secret is stored, so reading the store gives
 * no key that works. A revoked key stays in the store, with the moment it was revoked.
 */
export interface ApiKeyStore {
  add(key: StoredApiKey): Promise<void>;
  find(id: string): Promise<StoredApiKey | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKey[]>;
  /** Revokes a key at `at` (a key revoked already keeps its first revocation); undefined when no key has this id. */
  revoke(id: string, at: string): Promise<ApiKey | undefined>;
  close(): Promise<void>;
}

export const API_KEY_STORE = Symbol('API_KEY_STORE');
