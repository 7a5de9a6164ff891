import { describe, expect, it } from 'vitest';
import { ImageType, sniffImageType } from '../src/domain/image-types.ts';
import { checkUploadSignature, signedUploadUrl, snapWidth } from '../src/domain/media-urls.ts';
import { validateUpload } from '../src/domain/upload-validation.ts';
import { etagMatches, parseRange } from '../src/http/send-deliverable.ts';

describe('parseRange', () => {
  it('reads a closed, an open and a suffix range, clamping the end to the size', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
  });

  it('answers unsatisfiable past the end or for a reversed range, and none for several ranges or no header', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-1', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('none');
    expect(parseRange(undefined, 100)).toBe('none');
  });
});

describe('etagMatches', () => {
  it('matches a listed tag, a weak form of it, or *', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('"c"', '"b"')).toBe(false);
  });
});

describe('snapWidth', () => {
  it('snaps up to the next thumbnail width and caps at the largest', () => {
    expect([1, 64, 65, 200, 256, 257, 5000].map(snapWidth)).toEqual([64, 64, 128, 256, 256, 512, 2048]);
  });
});

describe('upload signatures', () => {
  it('accepts its own unexpired signature and refuses an expired, altered or foreign one', () => {
    const url = new URL(signedUploadUrl('http://gw', 'key', 'm1', new Date(Date.now() + 60_000)));
    const [expires, signature] = [url.searchParams.get('expires'), url.searchParams.get('signature')];
    expect(checkUploadSignature('key', 'm1', expires, signature)).toBe('ok');
    expect(checkUploadSignature('key', 'm2', expires, signature)).toBe('invalid');
    expect(checkUploadSignature('other', 'm1', expires, signature)).toBe('invalid');
    expect(checkUploadSignature('key', 'm1', expires, signature, Date.now() + 120_000)).toBe('expired');
  });
});

describe('sniffImageType', () => {
  it('names PNG, JPEG, WebP and GIF by their magic numbers and nothing else', () => {
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(ImageType.Png);
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(ImageType.Jpeg);
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe(ImageType.Webp);
    expect(sniffImageType(Buffer.from('GIF89a..'))).toBe(ImageType.Gif);
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('validateUpload', () => {
  const ok = { itemId: 'i', filename: 'photo.png', contentType: 'image/png', byteSize: 10 };
  it('accepts a plain filename, a known type and a size within the limit', () => {
    expect(validateUpload(ok, { maxBytes: 10 })).toEqual([]);
  });

  it('names each bad field with its code', () => {
    const errors = validateUpload({ ...ok, filename: '../x.png', contentType: 'text/plain', byteSize: 11 }, { maxBytes: 10 });
    expect(errors.map((e) => [e.code, e.field])).toEqual([['INVALID_INPUT', ['filename']], ['INVALID_INPUT', ['contentType']], ['LIMIT_EXCEEDED', ['byteSize']]]);
    expect(validateUpload({ ...ok, byteSize: 0 }, { maxBytes: 10 }).map((e) => e.code)).toEqual(['INVALID_INPUT']);
  });
});
