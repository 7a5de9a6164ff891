import { UserErrorCode, userError, type UserError } from '@stockline/errors';
import { IMAGE_TYPES, isImageType } from './image-types.ts';

export interface CreateMediaUploadInput {
  itemId: string;
  filename: string;
  contentType: string;
  byteSize: number;
}

const MAX_FILENAME_LENGTH = 255;

/**
 * The userErrors of a createMediaUpload request (empty when it is acceptable). The filename is only
 * kept as a label, never used as a path; still, anything path-like is refused so no client can
 * believe otherwise: separators, `..`, control characters, leading dots.
 */
export function validateUpload(input: CreateMediaUploadInput, { maxBytes }: { maxBytes: number }): UserError[] {
  const errors: UserError[] = [];
  const { filename, contentType, byteSize } = input;
  if (!filename.trim() || filename.length > MAX_FILENAME_LENGTH) {
    errors.push(userError(UserErrorCode.InvalidInput, `filename must have 1 to ${MAX_FILENAME_LENGTH} characters`, ['filename']));
  } else if (/[\/\\]|\.\.|[\u0000-\u001f\u007f]/.test(filename) || filename.startsWith('.')) {
    errors.push(userError(UserErrorCode.InvalidInput, `filename must be a plain file name (no path separators, "..", control characters or leading dot); got ${JSON.stringify(filename)}`, ['filename']));
  }
  if (!isImageType(contentType.toLowerCase())) {
    errors.push(userError(UserErrorCode.InvalidInput, `contentType must be one of ${IMAGE_TYPES.join(', ')}; got "${contentType}"`, ['contentType']));
  }
  if (!Number.isInteger(byteSize) || byteSize < 1) {
    errors.push(userError(UserErrorCode.InvalidInput, `byteSize must be a positive number of bytes; got ${byteSize}`, ['byteSize']));
  } else if (byteSize > maxBytes) {
    errors.push(userError(UserErrorCode.LimitExceeded, `byteSize must be at most ${maxBytes} bytes; got ${byteSize}`, ['byteSize']));
  }
  return errors;
}
