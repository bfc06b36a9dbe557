import type { ColumnType, Generated, Selectable } from 'kysely';

export interface AgencyTable {
  id: Generated<string>;
  /** Agency identifier of the national catalogue, the first part of its dossier codes, e.g. H20.24.16. */
  code: string;
  name: string;
  level: 'province' | 'district' | 'commune';
  created_at: ColumnType<Date, never, never>;
}
export type AgencyRow = Selectable<AgencyTable>;

export interface UserTable {
  id: Generated<string>;
  kind: 'citizen' | 'staff';
  full_name: string;
  id_number: string | null;
  /** Null for an applicant received at the counter who gave none. */
  email: string | null;
  phone: string | null;
  /** Null until a walk-in applicant claims the account (national single sign-on). */
  password_hash: string | null;
  locked_at: Date | null;
  created_at: ColumnType<Date, never, never>;
}
export type UserRow = Selectable<UserTable>;

export interface UserRoleTable {
  user_id: string;
  role: string;
  agency_id: string | null;
}

export interface RefreshTokenTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Date;
  created_at: ColumnType<Date, never, never>;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: ColumnType<Date, never, never>;
}
