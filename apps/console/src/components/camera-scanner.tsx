import { useEffect, useRef, useState } from 'react';
// Only the two decoders a wallet's screen needs, imported by path: the library's index would bring every format.
import BinaryBitmap from '@zxing/library/esm/core/BinaryBitmap';
import HybridBinarizer from '@zxing/library/esm/core/common/HybridBinarizer';
import Code128Reader from '@zxing/library/esm/core/oned/Code128Reader';
import QRCodeReader from '@zxing/library/esm/core/qrcode/QRCodeReader';
import RGBLuminanceSource from '@zxing/library/esm/core/RGBLuminanceSource';
import { useLanguage } from '../i18n/index.js';
import { useLatest } from './use-latest.js';

const EVERY_MS = 200;
const MAX_WIDTH = 640;

/** The text of a QR code or a Code 128 barcode in one frame, or null. */
function decodeFrame(pixels: ImageData, readers: Array<QRCodeReader | Code128Reader>): string | null {
  const grey = new Uint8ClampedArray(pixels.width * pixels.height);
  for (let i = 0; i < grey.length; i += 1) {
    const [r, g, b] = [pixels.data[i * 4], pixels.data[i * 4 + 1], pixels.data[i * 4 + 2]];
    grey[i] = (r + 2 * g + b) >> 2;
  }
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, pixels.width, pixels.height)));
  for (const reader of readers) {
    try {
      return reader.decode(bitmap).getText();
    } catch {
      // nothing of this format in the frame
    } finally {
      reader.reset();
    }
  }
  return null;
}

/** The camera's picture, read a few times a second for a QR code or a Code 128 barcode until one decodes. Loaded on demand. */
export default function CameraScanner({ onRead, aim }: { onRead: (text: string) => void; aim: string }) {
  const { t } = useLanguage();
  const video = useRef<HTMLVideoElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const read = useLatest(onRead);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const readers = [new QRCodeReader(), new Code128Reader()];
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    const scan = () => {
      const element = video.current;
      if (!element || !context || element.videoWidth === 0) return;
      const scale = Math.min(1, MAX_WIDTH / element.videoWidth);
      canvas.width = Math.round(element.videoWidth * scale);
      canvas.height = Math.round(element.videoHeight * scale);
      context.drawImage(element, 0, 0, canvas.width, canvas.height);
      const text = decodeFrame(context.getImageData(0, 0, canvas.width, canvas.height), readers);
      if (text === null || stopped) return;
      stop();
      read.current(text);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      async (opened) => {
        stream = opened;
        if (stopped || !video.current) return stop();
        video.current.srcObject = opened;
        await video.current.play().catch(() => undefined);
        timer = setInterval(scan, EVERY_MS);
      },
      (error: unknown) => setFailure(error instanceof Error ? error.name : String(error)),
    );
    return stop;
  }, [read]);

  return (
    <div className="camera">
      <video ref={video} muted playsInline aria-label={t('camera.preview')} />
      {failure ? (
        <p className="notice" role="status">
          {failure === 'NotAllowedError' ? t('camera.refused') : t('camera.failed', { reason: failure })}
        </p>
      ) : (
        <p className="hint">{aim}</p>
      )}
    </div>
  );
}
