import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. (Algorithm.Argon2id is the default.)
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check when there is no account, so timing reveals nothing. */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword('goalpost-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

/** zxcvbn's common passwords, loaded by the first password checked (not by every process, such as the jobs'). */
let common: Promise<Set<string>> | undefined;
function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase())),
  );
  return common;
}

/** Why a password is refused, or null if it is acceptable. */
export async function passwordProblem(
  password: string,
  minLength: number,
  personal: string[] = [],
): Promise<string | null> {
  if (password.length < minLength) return `Use at least ${minLength} characters.`;
  if (password.length > 256) return 'Use at most 256 characters.';
  const lower = password.toLowerCase();
  if ((await commonPasswords()).has(lower)) return 'This password is one of the most common passwords. Choose another.';
  for (const word of personal) {
    if (word.length >= 4 && lower.includes(word.toLowerCase())) {
      return 'Do not use your name or email address in your password.';
    }
  }
  if (new Set(password).size < 4) return 'Use more different characters.';
  return null;
}
