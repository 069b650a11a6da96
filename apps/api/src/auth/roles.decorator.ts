import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ledger/auth';

export const ROLES_KEY = 'ledger:roles';
export const PUBLIC_KEY = 'ledger:public';

/** The roles that may call a route (or every route of a controller). A route that names none is refused to all. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no credential (`GET /health`). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Committee's rights: reports, provenance, publications. */
export const READERS: Role[] = ['committee', 'auditor', 'admin'];
/** Auditor's rights on top of those: audits, proofs, metrics. */
export const AUDITORS: Role[] = ['auditor', 'admin'];
