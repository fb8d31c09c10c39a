import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

/** QR as SVG, for apps and browsers. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** QR as PNG, for registers and tests that decode it. */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
}

/**
 * Code 128 as SVG: numeric codes pack two digits per symbol. Opaque white
 * with a quiet zone of ten modules each side, as scanners need: on a dark
 * screen or page a transparent image shows no bars at all.
 */
export function code128Svg(text: string): string {
  return bwipjs.toSVG({
    bcid: 'code128',
    text,
    scale: 3,
    height: 12,
    includetext: true,
    textxalign: 'center',
    backgroundcolor: 'FFFFFF',
    paddingwidth: 10,
    paddingheight: 4,
  });
}
