import sharp from 'sharp';

/**
 * A photo-like JPEG (smooth colour gradients with grain, so it compresses
 * like a camera picture rather than a flat fill), `width` × `height`.
 */
export async function makeSamplePhoto(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 42;
  const grain = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed % 17) - 8;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      const u = x / width;
      const v = y / height;
      pixels[offset] = clampByte(255 * (0.5 + 0.5 * Math.sin(6 * u + 2 * v)) + grain());
      pixels[offset + 1] = clampByte(255 * v * (0.6 + 0.4 * Math.cos(9 * u)) + grain());
      pixels[offset + 2] = clampByte(255 * (1 - u) * (0.5 + 0.5 * Math.sin(12 * v)) + grain());
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
