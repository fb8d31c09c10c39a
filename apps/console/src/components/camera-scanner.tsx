import { useEffect, useRef, useState } from 'react';
// QR codes by jsQR, which reads every code the API draws (ZXing's QR reader misses about one in fifteen of
// the dense store codes in a still picture); Code 128 by ZXing, imported by path: its index brings every format.
import BinaryBitmap from '@zxing/library/esm/core/BinaryBitmap';
import HybridBinarizer from '@zxing/library/esm/core/common/HybridBinarizer';
import Code128Reader from '@zxing/library/esm/core/oned/Code128Reader';
import RGBLuminanceSource from '@zxing/library/esm/core/RGBLuminanceSource';
import jsQR from 'jsqr';
import { useLanguage } from '../i18n/index.js';
import { useLatest } from './use-latest.js';

const EVERY_MS = 200;
const MAX_WIDTH = 640;

/** The text of a QR code or a Code 128 barcode in one frame, or null. */
function decodeFrame(pixels: ImageData, code128: Code128Reader): string | null {
  const qr = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'dontInvert' });
  if (qr) return qr.data;
  const grey = new Uint8ClampedArray(pixels.width * pixels.height);
  for (let i = 0; i < grey.length; i += 1) {
    const [r, g, b] = [pixels.data[i * 4], pixels.data[i * 4 + 1], pixels.data[i * 4 + 2]];
    grey[i] = (r + 2 * g + b) >> 2;
  }
  try {
    return code128.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, pixels.width, pixels.height)))).getText();
  } catch {
    return null; // no Code 128 in the frame
  } finally {
    code128.reset();
  }
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
    const code128 = new Code128Reader();
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
      const text = decodeFrame(context.getImageData(0, 0, canvas.width, canvas.height), code128);
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
