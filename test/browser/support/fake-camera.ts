import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * What Chromium's fake camera shows (--use-file-for-fake-video-capture): a
 * picture, on white, as a Y4M video (the raw YUV 4:2:0 format Chromium
 * reads), for the console's camera to scan.
 */
export function writeCameraPicture(path: string, picture: Buffer): void {
  const png = PNG.sync.read(picture);
  const scale = Math.max(1, Math.floor(Math.min((WIDTH * 0.8) / png.width, (HEIGHT * 0.8) / png.height)));
  const [left, top] = [Math.floor((WIDTH - png.width * scale) / 2), Math.floor((HEIGHT - png.height * scale) / 2)];
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
  for (let y = 0; y < png.height * scale; y++) {
    for (let x = 0; x < png.width * scale; x++) {
      const i = (Math.floor(y / scale) * png.width + Math.floor(x / scale)) * 4;
      const alpha = png.data[i + 3] / 255;
      const grey = 0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2];
      luma[(top + y) * WIDTH + left + x] = Math.round(16 + (grey * alpha + 255 * (1 - alpha)) * (219 / 255));
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}
