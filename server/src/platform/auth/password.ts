import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id is a const enum in the typings; its value is 2.
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A fixed hash verified for unknown usernames, so a miss costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

export type PasswordPolicy = { minLength: number; minClasses: number };

/** At least minLength characters and minClasses of: upper case, lower case, digits, symbols. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy): boolean {
  if ([...password].length < policy.minLength) return false;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return classes >= policy.minClasses;
}

/** A random password that always meets the default policy (shown once to the admin). */
export function generatePassword(): string {
  const pick = (set: string, n: number) =>
    Array.from({ length: n }, () => set[crypto.randomInt(set.length)] ?? '').join('');
  const chars = [
    ...pick('ABCDEFGHJKLMNPQRSTUVWXYZ', 3),
    ...pick('abcdefghijkmnopqrstuvwxyz', 5),
    ...pick('23456789', 3),
    ...pick('!@#$%^&*-_=+', 2),
  ];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
