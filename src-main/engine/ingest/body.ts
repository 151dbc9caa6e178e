// Turns a tracking request's raw bytes into JSON: whatever Content-Type the client claims
// (analytics.js sends text/plain), optionally compressed. Decompression is capped at the request
// limit, so a gzip bomb is rejected after reading at most that many bytes, never expanded.

import { isUtf8 } from 'node:buffer'
import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'
import { ApiError } from '../errors'

const decompressors = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress)
} as const

export async function decodeBody(raw: Buffer | undefined, contentEncoding: string | undefined, maxBytes: number): Promise<{ value: unknown; text: string; bytes: number }> {
  const bytes = await decompress(raw ?? Buffer.alloc(0), contentEncoding, maxBytes)
  if (bytes.length === 0) throw new ApiError(400, 'ERR_BODY_EMPTY', 'The request body is empty; send a JSON object.')
  if (!isUtf8(bytes)) throw new ApiError(400, 'ERR_BODY_INVALID_UTF8', 'The request body is not valid UTF-8.')
  let text = bytes.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  try {
    return { value: JSON.parse(text), text, bytes: bytes.length }
  } catch (error) {
    throw new ApiError(400, 'ERR_BODY_INVALID_JSON', `The request body is not valid JSON: ${(error as Error).message}`)
  }
}

async function decompress(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase()
  if (encoding === 'identity' || encoding === '') return raw
  if (!(encoding in decompressors)) {
    throw new ApiError(415, 'ERR_BODY_UNSUPPORTED_ENCODING', `Content-Encoding "${encoding}" is not supported; use gzip, deflate, br or none.`, 'Content-Encoding')
  }
  try {
    return await decompressors[encoding as keyof typeof decompressors](raw, { maxOutputLength: maxBytes })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ApiError(413, 'ERR_LIMIT_REQUEST_TOO_LARGE', `The decompressed body is larger than the request limit of ${maxBytes} bytes.`, 'maxRequestBytes')
    }
    throw new ApiError(400, 'ERR_BODY_BAD_COMPRESSION', `The body is not valid ${encoding} data: ${(error as Error).message}`, 'Content-Encoding')
  }
}
