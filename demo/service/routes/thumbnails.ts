import type { FastifyInstance } from 'fastify';
import { transfer } from 'spindle';
import type { TaskRunner } from '../task-runner.js';
import { readUploadedFile } from './upload.js';

const querySchema = {
  type: 'object',
  properties: {
    width: { type: 'integer', minimum: 16, maximum: 1024, default: 256 },
    height: { type: 'integer', minimum: 16, maximum: 1024, default: 256 },
  },
} as const;

/** `POST /thumbnails?width=&height=`: an uploaded image (field `image`) in, a JPEG that fits the box out. */
export function registerThumbnailRoutes(app: FastifyInstance, runner: TaskRunner): void {
  app.post<{ Querystring: { width: number; height: number } }>('/thumbnails', { schema: { querystring: querySchema } }, async (request, reply) => {
    const image = await readUploadedFile(request, 'image');
    const { width, height } = request.query;
    const thumbnail = await runner.run('thumbnail', transfer({ image, width, height }));
    return reply
      .type('image/jpeg')
      .header('x-thumbnail-size', `${thumbnail.width}x${thumbnail.height}`)
      .send(Buffer.from(thumbnail.jpeg.buffer, thumbnail.jpeg.byteOffset, thumbnail.jpeg.byteLength));
  });
}
