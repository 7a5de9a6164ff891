import sharp from 'sharp';

/** A real image made by sharp: a gradient-free solid colour plus noise so different seeds give different bytes. */
export async function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif', { width = 600, height = 400, seed = 1 } = {}): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: (seed * 97) % 256, b: (seed * 31) % 256 }, noise: { type: 'gaussian', mean: 128, sigma: 30 } } });
  return image.toFormat(format).toBuffer();
}

/** Width and height of an encoded image. */
export async function sizeOf(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const { width, height, format } = await sharp(bytes).metadata();
  return { width: width!, height: height!, format: format! };
}
