import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jpeg from 'jpeg-js';
import { makeSamplePhoto } from '../../demo/samples/sample-photo.js';
import { postFile, startService, type RunningService } from './service-harness.js';

describe('POST /thumbnails', () => {
  let running: RunningService;
  let photo: Buffer;
  before(async () => {
    [running, photo] = await Promise.all([startService(), makeSamplePhoto(1200, 800)]);
  });
  after(() => running.close());

  it('fits an uploaded 1200×800 photo into 256×256, keeping its aspect ratio, as a JPEG that decodes', async () => {
    const response = await postFile(`${running.url}/thumbnails`, 'image', 'photo.jpg', 'image/jpeg', photo);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    assert.equal(response.headers.get('x-thumbnail-size'), '256x171');
    const decoded = jpeg.decode(Buffer.from(await response.arrayBuffer()));
    assert.equal(decoded.width, 256);
    assert.equal(decoded.height, 171);
  });

  it('takes the box from the query string', async () => {
    const response = await postFile(`${running.url}/thumbnails?width=90&height=120`, 'image', 'photo.jpg', 'image/jpeg', photo);
    const decoded = jpeg.decode(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual([decoded.width, decoded.height], [90, 60]);
  });

  it('keeps the colours of the picture (the thumbnail is not blank)', async () => {
    const response = await postFile(`${running.url}/thumbnails?width=64&height=64`, 'image', 'photo.jpg', 'image/jpeg', photo);
    const decoded = jpeg.decode(Buffer.from(await response.arrayBuffer()));
    const reds = new Set<number>();
    for (let offset = 0; offset < decoded.data.length; offset += 4) reds.add(decoded.data[offset] ?? 0);
    assert.ok(reds.size > 50, `expected a gradient, got ${String(reds.size)} distinct red values`);
  });

  it('answers 422 with DEMO_UNREADABLE_IMAGE when the upload is not an image', async () => {
    const response = await postFile(`${running.url}/thumbnails`, 'image', 'notes.txt', 'text/plain', 'this is not a picture');
    assert.equal(response.status, 422);
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(body.code, 'DEMO_UNREADABLE_IMAGE');
    assert.match(body.message, /not an image/);
  });

  it('answers 400 when the upload has no `image` field', async () => {
    const response = await postFile(`${running.url}/thumbnails`, 'picture', 'photo.jpg', 'image/jpeg', photo);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { code: string }).code, 'DEMO_MISSING_UPLOAD');
  });

  it('answers 400 for a box outside 16 to 1024 pixels', async () => {
    const response = await postFile(`${running.url}/thumbnails?width=4`, 'image', 'photo.jpg', 'image/jpeg', photo);
    assert.equal(response.status, 400);
  });
});
