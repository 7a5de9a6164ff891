import { describe } from 'vitest';
import { mediaSuite } from './media-suite.ts';

describe('media on the S3 backend (s3rver)', () => mediaSuite('s3'));
