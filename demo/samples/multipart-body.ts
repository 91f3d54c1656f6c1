import { randomBytes } from 'node:crypto';

export interface MultipartBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/** A multipart/form-data body holding one file, ready to send as is. */
export function encodeMultipartFile(fieldName: string, fileName: string, fileType: string, content: Uint8Array | string): MultipartBody {
  const boundary = `----spindle-demo-${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${fileName}"\r\nContent-Type: ${fileType}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), typeof content === 'string' ? Buffer.from(content) : content, Buffer.from(tail)]),
  };
}
