import { isScope, type Viewer } from '@stockline/auth';
import { UserErrorCode, userError, type UserError } from '@stockline/errors';

const MAX_NAME = 100;
const MAX_SCOPES = 16;

export interface CreateApiKeyInput {
  name: string;
  scopes: string[];
  expiresAt?: Date | string | null;
}

/**
 * Checks a new key's input against the rules: a name, at least one scope, each one known and held
 * by its creator (a key can never hold more than whoever made it), an expiry in the future.
 * Returns every problem at once, each with the path of its field.
 */
export function validateNewApiKey(creator: Pick<Viewer, 'scopes'>, input: CreateApiKeyInput, now: Date): { errors: UserError[]; name: string; scopes: string[]; expiresAt: Date | null } {
  const errors: UserError[] = [];
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME) errors.push(userError(UserErrorCode.InvalidInput, `name must be 1 to ${MAX_NAME} characters`, ['name']));
  if (input.scopes.length === 0 || input.scopes.length > MAX_SCOPES) {
    errors.push(userError(UserErrorCode.InvalidInput, `scopes must list 1 to ${MAX_SCOPES} scopes`, ['scopes']));
  }
  input.scopes.forEach((scope, i) => {
    if (!isScope(scope)) errors.push(userError(UserErrorCode.InvalidInput, `"${scope}" is not a scope`, ['scopes', String(i)]));
    else if (!creator.scopes.includes(scope)) errors.push(userError(UserErrorCode.InvalidInput, `You do not hold "${scope}", so a key you create cannot either`, ['scopes', String(i)]));
  });
  const expiresAt = input.expiresAt == null ? null : new Date(input.expiresAt);
  if (expiresAt && !(expiresAt.getTime() > now.getTime())) errors.push(userError(UserErrorCode.InvalidInput, 'expiresAt must be in the future', ['expiresAt']));
  return { errors, name, scopes: [...new Set(input.scopes)], expiresAt };
}
