import sharp from 'sharp';
import { UnprocessableInputError } from './unprocessable-input-error.js';

export interface ThumbnailRequest {
  readonly image: Uint8Array;
  /** Largest width of the thumbnail; the aspect ratio is kept. */
  readonly width: number;
  readonly height: number;
}

export interface Thumbnail {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
}

// libvips keeps one thread pool and cache per process; the pool already runs
// one task per worker, so each resize needs no extra threads or cached images.
sharp.concurrency(1);
sharp.cache(false);

/** Decodes any image sharp reads, fits it inside width × height and encodes a JPEG. */
export async function makeThumbnail(request: ThumbnailRequest): Promise<Thumbnail> {
  try {
    const { data, info } = await sharp(request.image, { failOn: 'error' })
      .rotate()
      .resize(request.width, request.height, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch (error) {
    throw new UnprocessableInputError('DEMO_UNREADABLE_IMAGE', `The upload is not an image that can be read: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
