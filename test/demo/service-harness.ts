import { createDemoService, type DemoService, type DemoServiceOptions } from '../../demo/service/create-service.js';
import { encodeMultipartFile } from '../../demo/samples/multipart-body.js';

export interface RunningService {
  readonly service: DemoService;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the demo service in this process on a free port; one worker unless told otherwise. */
export async function startService(options: Partial<DemoServiceOptions> = {}): Promise<RunningService> {
  const service = await createDemoService({ mode: 'pooled', threads: 1, ...options });
  const url = await service.listen(0);
  return { service, url, close: () => service.close() };
}

export function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function postFile(url: string, fieldName: string, fileName: string, fileType: string, content: Uint8Array | string): Promise<Response> {
  const upload = encodeMultipartFile(fieldName, fileName, fileType, content);
  return fetch(url, { method: 'POST', headers: { 'content-type': upload.contentType }, body: upload.body });
}

/** Parses Prometheus text into `name{labels}` → value. */
export function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const separator = line.lastIndexOf(' ');
    samples.set(line.slice(0, separator), Number(line.slice(separator + 1)));
  }
  return samples;
}
