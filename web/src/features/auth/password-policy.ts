/**
 * Mirrors the server's policy (>= 8 characters, 3 of 4 character classes) so the user gets
 * feedback before submitting; the server remains the authority and answers AUTH_PASSWORD_POLICY.
 */
export function meetsPasswordPolicy(password: string): boolean {
  if ([...password].length < 8) return false;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password));
  return classes.length >= 3;
}
