import { describe } from 'vitest';
import { mediaSuite } from './media-suite.ts';

describe('media on the filesystem backend', () => mediaSuite('filesystem'));
