// The class's join link as a QR code, drawn as SVG (crisp on a projector and
// on paper at any size). The qrcode library encodes; medium error correction
// survives a smudged printout or a projector's glare.

import QRCode from 'qrcode'

/** An SVG document (a string) whose QR code reads back as `url`. */
export function joinQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  })
}

/** The same as a `data:` URL for an <img> (the page's policy allows data: images, not inline markup). */
export async function joinQrDataUrl(url: string): Promise<string> {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await joinQrSvg(url))}`
}
