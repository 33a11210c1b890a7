import jsQR from 'jsqr'
import { describe, expect, it } from 'vitest'
import { joinQrDataUrl, joinQrSvg } from './qr'

/**
 * Draws the SVG the way a renderer would, for this library's output: a white
 * square, then one path of horizontal one-module strokes (M/m moves, h runs).
 */
function rasterize(svg: string, scale = 4): { data: Uint8ClampedArray; width: number; height: number } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1])
  expect(size).toBeGreaterThan(20)
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? ''
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false))
  let x = 0
  let y = 0
  for (const [, op, args] of d.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const n = args.trim().split(/[ ,]+/).filter(Boolean).map(Number)
    if (op === 'M') [x, y] = n
    else if (op === 'm') [x, y] = [x + n[0], y + n[1]]
    else if (op === 'h') {
      for (let i = 0; i < n[0]; i++) dark[Math.floor(y)][x + i] = true
      x += n[0]
    } else throw new Error(`unexpected path command ${op}`)
  }
  const width = size * scale
  const data = new Uint8ClampedArray(width * width * 4)
  for (let py = 0; py < width; py++)
    for (let px = 0; px < width; px++) {
      const v = dark[Math.floor(py / scale)][Math.floor(px / scale)] ? 0 : 255
      data.set([v, v, v, 255], (py * width + px) * 4)
    }
  return { data, width, height: width }
}

describe('the join QR code', () => {
  for (const url of ['http://localhost:4173/join/34679A', 'https://192.0.2.7:8443/join/XYWTRQ']) {
    it(`reads back as ${url}`, async () => {
      const svg = await joinQrSvg(url)
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
      expect(svg).not.toMatch(/<script|on\w+=/i)
      const img = rasterize(svg)
      expect(jsQR(img.data, img.width, img.height)?.data).toBe(url)
    })
  }

  it('is an image data URL the page can show', async () => {
    const src = await joinQrDataUrl('http://localhost:4173/join/34679A')
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true)
    expect(decodeURIComponent(src.split(',')[1])).toBe(await joinQrSvg('http://localhost:4173/join/34679A'))
  })
})
