import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKey, ApiKeyStore, Role } from './api-key.store';
import { isRole, ROLES } from './api-key.store';

/** `lk_<id>_<secret>`: the id (8 random bytes, hex) finds the key; the secret (32 random bytes, base64url) proves it. */
const KEY_FORMAT = /^lk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * The stored form of a secret: its SHA-256. A slow password hash (bcrypt, scrypt, argon2)
 * protects secrets people choose, which are guessable; these are 32 random bytes, and no
 * number of fast guesses finds a 256-bit preimage. A slow hash would only add its cost to
 * every request, since every request is authenticated. No salt either: salts defeat tables
 * of precomputed common passwords, and there are none for random secrets.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A key asked for with a wrong name or role. */
export class KeyRequestError extends RangeError {
  constructor(
    readonly field: 'name' | 'role',
    message: string,
  ) {
    super(message);
    this.name = 'KeyRequestError';
  }
}

/** Checks what a person asked for a key. */
export function checkKeyRequest(request: { readonly name?: unknown; readonly role?: unknown }): { name: string; role: Role } {
  if (!isRole(request.role)) throw new KeyRequestError('role', `role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(request.role)}`);
  const name = typeof request.name === 'string' ? request.name.trim() : '';
  if (name === '' || name.length > 100) throw new KeyRequestError('name', `name must be 1 to 100 characters (who holds the key), not ${JSON.stringify(request.name)}`);
  return { name, role: request.role };
}

/** A new key (name and role checked: KeyRequestError): stored as its hash; the key itself is returned once, for its holder. */
export async function createApiKey(
  store: ApiKeyStore,
  request: { readonly name: string; readonly role: string },
  now: Date,
): Promise<{ key: string; apiKey: ApiKey }> {
  const { name, role } = checkKeyRequest(request);
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const apiKey: ApiKey = { id, name, role, createdAt: now.toISOString(), revokedAt: null };
  await store.add({ ...apiKey, secretHash: hashSecret(secret) });
  return { key: `lk_${id}_${secret}`, apiKey };
}

/** The key a credential is, if it is one that exists and is not revoked. */
export async function authenticate(store: ApiKeyStore, presented: string): Promise<ApiKey | undefined> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) return undefined;
  const [, id = '', secret = ''] = match;
  const stored = await store.find(id);
  if (!stored || stored.revokedAt !== null) return undefined;
  // Constant time: how much of the hash matched must not show in how long the answer took.
  if (stored.secretHash.length !== 32 || !timingSafeEqual(stored.secretHash, hashSecret(secret))) return undefined;
  const { secretHash: _, ...apiKey } = stored;
  return apiKey;
}
