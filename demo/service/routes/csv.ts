import type { FastifyInstance } from 'fastify';
import { transfer } from 'spindle';
import type { TaskRunner } from '../task-runner.js';
import { readUploadedFile } from './upload.js';

/**
 * `POST /csv`: an uploaded CSV file (field `file`, first row = column names)
 * in, `{ rowCount, columns, records }` JSON out. The upload is moved to the
 * worker and the JSON bytes moved back, both with `transfer()`: no copies.
 */
export function registerCsvRoutes(app: FastifyInstance, runner: TaskRunner): void {
  app.post('/csv', async (request, reply) => {
    const csv = await readUploadedFile(request, 'file');
    const conversion = await runner.run('csvToJson', transfer(csv));
    return reply
      .type('application/json; charset=utf-8')
      .header('x-row-count', String(conversion.rowCount))
      .send(Buffer.from(conversion.json.buffer, conversion.json.byteOffset, conversion.json.byteLength));
  });
}
