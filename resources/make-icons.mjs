#!/usr/bin/env node
// Draws Loupe's icons (a magnifying glass) as PNGs, so they are reproducible from this file without an
// image editor: `node resources/make-icons.mjs`. electron-builder turns icon.png (1024 px) into .icns/.ico.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const here = new URL('./', import.meta.url)

// Shapes as signed distance functions on a unit square (0..1); negative = inside.
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2
const capsule = (ax, ay, bx, by, w) => (x, y) => {
  const dx = bx - ax, dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - w / 2
}
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r
const roundedSquare = (m, r) => (x, y) => {
  const qx = Math.abs(x - 0.5) - (0.5 - m - r), qy = Math.abs(y - 0.5) - (0.5 - m - r)
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r
}

/** layers: [{ shape, color: [r,g,b,a] }], painted in order with 4×4 supersampling. */
function render(size, layers) {
  const px = new Uint8Array(size * size * 4)
  const n = 4
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let [r, g, b, a] = [0, 0, 0, 0]
      for (const { shape, color } of layers) {
        let hits = 0
        for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) {
          if (shape((pxi + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size) <= 0) hits++
        }
        const alpha = (hits / (n * n)) * (color[3] / 255)
        const outA = alpha + a * (1 - alpha)
        if (outA > 0) {
          r = (color[0] * alpha + r * a * (1 - alpha)) / outA
          g = (color[1] * alpha + g * a * (1 - alpha)) / outA
          b = (color[2] * alpha + b * a * (1 - alpha)) / outA
        }
        a = outA
      }
      px.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + pxi) * 4)
    }
  }
  return png(size, px)
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
function png(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

const glass = (ink, lens) => [
  ...(lens ? [{ shape: disc(0.42, 0.42, 0.22), color: lens }] : []),
  { shape: ring(0.42, 0.42, 0.22, 0.09), color: ink },
  { shape: capsule(0.59, 0.59, 0.8, 0.8, 0.12), color: ink }
]
const appIcon = [
  { shape: roundedSquare(0.06, 0.18), color: [24, 32, 48, 255] },
  { shape: disc(0.42, 0.42, 0.22), color: [56, 189, 248, 90] },
  { shape: ring(0.42, 0.42, 0.22, 0.07), color: [240, 249, 255, 255] },
  { shape: capsule(0.62, 0.62, 0.76, 0.76, 0.09), color: [240, 249, 255, 255] },
  { shape: disc(0.36, 0.36, 0.045), color: [240, 249, 255, 200] }
]
const files = {
  'icon.png': render(1024, appIcon),
  'tray-icon.png': render(16, glass([56, 189, 248, 255], null)),
  'tray-icon@2x.png': render(32, glass([56, 189, 248, 255], null)),
  // macOS recolours "Template" images for light and dark menu bars: black plus alpha only.
  'trayTemplate.png': render(16, glass([0, 0, 0, 255], null)),
  'trayTemplate@2x.png': render(32, glass([0, 0, 0, 255], null))
}
for (const [name, data] of Object.entries(files)) writeFileSync(new URL(name, here), data)
console.log(`wrote ${Object.keys(files).join(', ')}`)
